// file_cache.h: every file read in one run, parsed and lowered once. Shared
// by all the interpreters of a run (one per explored path), so that paths
// re-execute code without re-parsing it. Syntax errors and lowering notes are
// reported once, to the cache's own sink.
#ifndef SHAPELINT_INTERP_FILE_CACHE_H_
#define SHAPELINT_INTERP_FILE_CACHE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "analyzer/base/finding.h"
#include "analyzer/base/source.h"
#include "analyzer/interp/host.h"
#include "analyzer/ir/ir.h"

namespace shapelint::interp {

// LoadedFile: a parsed and lowered file (functions point into its IR).
struct LoadedFile {
  const SourceFile* source = nullptr;
  std::unique_ptr<ir::Module> ir;
  bool has_syntax_errors = false;
};

class FileCache {
 public:
  FileCache(SourceManager& sources, FindingSink& sink) : sources_(sources), sink_(sink) {}
  // Load: the file at `path`, read and lowered on first use. NotFound when it
  // cannot be read; a non-UTF-8 file is a syntax-error finding and an empty
  // module.
  absl::StatusOr<LoadedFile*> Load(const std::string& path);
  // SetBundle: where paths under kBundledRoot are read from.
  void SetBundle(const ApiProvider* bundle) { bundle_ = bundle; }
  const std::vector<std::unique_ptr<LoadedFile>>& files() const { return files_; }
  SourceManager& sources() { return sources_; }

 private:
  SourceManager& sources_;
  FindingSink& sink_;
  const ApiProvider* bundle_ = nullptr;
  std::vector<std::unique_ptr<LoadedFile>> files_;
  absl::flat_hash_map<std::string, LoadedFile*> by_path_;
};

}  // namespace shapelint::interp

#endif  // SHAPELINT_INTERP_FILE_CACHE_H_
