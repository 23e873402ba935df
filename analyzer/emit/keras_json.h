// keras_json.h: unique_modules.json, pytorch_ops.json and the summary of a
// Keras model, from the entries the bundled Keras rules describe it with
// (rules/keras/py/keras/report.py: one entry for the model as "(root)", then
// one per layer of model.layers, with Keras class names, layer names,
// channels-last shapes and the layer config as parameters).
#ifndef SHAPELINT_EMIT_KERAS_JSON_H_
#define SHAPELINT_EMIT_KERAS_JSON_H_

#include <string>
#include <vector>

#include "analyzer/emit/module_json.h"

namespace shapelint::emit {

// BuildKerasModelJson: the dynamic tool's schema; layers are grouped by class,
// shapes and parameters as modules are; there are no torch ops.
ModelJson BuildKerasModelJson(const Json& entries, const ExtractInfo& info);

// KerasSummaryJson: `summary --format json`: totals at the top, then layers.
Json KerasSummaryJson(const Json& entries);

}  // namespace shapelint::emit

#endif  // SHAPELINT_EMIT_KERAS_JSON_H_
