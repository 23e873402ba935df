// summary.h: parameter and MAC counts per module and in total, and the
// `shapelint summary` table in the conventions of torchinfo (a tree of
// modules with output shape, parameters and multiply-adds, then totals).
// Parameters are counted once however many paths share them; MACs follow
// torchvision's published GFLOPS: multiply-adds of convolutions and matrix
// products only, charged to the module that runs them.
#ifndef SHAPELINT_EMIT_SUMMARY_H_
#define SHAPELINT_EMIT_SUMMARY_H_

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analyzer/interp/dim.h"
#include "analyzer/interp/module_tree.h"
#include "analyzer/interp/value.h"

namespace shapelint::emit {

struct ModuleStats {
  interp::ModuleEntry entry;
  int depth = 0;
  interp::Dim own_params = 0;   // parameters registered on this module itself
  interp::Dim params = 0;       // in its subtree, each tensor once
  interp::Dim macs = 0;         // in its subtree
};

struct ModelStats {
  std::vector<ModuleStats> modules;  // named_modules order
  interp::Dim total_params = 0;
  interp::Dim trainable_params = 0;
  interp::Dim macs = 0;
};

ModelStats ComputeStats(const interp::ValuePtr& root);

// DimJson: an int for a constant, the expression text otherwise.
nlohmann::ordered_json DimJson(const interp::Dim& d);

std::string FormatSummaryText(const ModelStats& stats, const std::string& input_desc);
nlohmann::ordered_json SummaryJson(const ModelStats& stats);

}  // namespace shapelint::emit

#endif  // SHAPELINT_EMIT_SUMMARY_H_
