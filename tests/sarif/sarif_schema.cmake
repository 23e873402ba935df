# The official SARIF 2.1.0 JSON schema for the sarif_schema test, fetched from
# the npm registry by exact version and verified against a pinned SHA-512
# before anything is extracted (the same scheme as grammar/). A mismatch stops
# the configure. Only the schema JSON is extracted, into the build directory;
# nothing of the package is committed. Sets SARIF_SCHEMA_JSON.
include(${CMAKE_CURRENT_LIST_DIR}/sarif_schema.lock.cmake)

set(_sarif_dir ${CMAKE_BINARY_DIR}/_sarif_schema)
# npm pack names a scoped package's tarball <scope>-<name>-<version>.tgz.
string(REGEX REPLACE "^@" "" _sarif_tgz_name ${SARIF_SCHEMA_NPM_PACKAGE})
string(REPLACE "/" "-" _sarif_tgz_name ${_sarif_tgz_name})
set(_sarif_tgz ${_sarif_dir}/${_sarif_tgz_name}-${SARIF_SCHEMA_NPM_VERSION}.tgz)
file(MAKE_DIRECTORY ${_sarif_dir})

if(NOT EXISTS ${_sarif_tgz})
  find_program(NPM npm REQUIRED)
  message(STATUS "Fetching ${SARIF_SCHEMA_NPM_PACKAGE}@${SARIF_SCHEMA_NPM_VERSION} (SARIF schema) with npm pack")
  execute_process(
    COMMAND ${NPM} pack --silent ${SARIF_SCHEMA_NPM_PACKAGE}@${SARIF_SCHEMA_NPM_VERSION}
    WORKING_DIRECTORY ${_sarif_dir}
    RESULT_VARIABLE _rc OUTPUT_QUIET ERROR_VARIABLE _err)
  if(NOT _rc EQUAL 0 OR NOT EXISTS ${_sarif_tgz})
    message(FATAL_ERROR "npm pack ${SARIF_SCHEMA_NPM_PACKAGE}@${SARIF_SCHEMA_NPM_VERSION} failed: ${_err}")
  endif()
endif()

file(SHA512 ${_sarif_tgz} _actual)
if(NOT _actual STREQUAL SARIF_SCHEMA_SHA512)
  file(REMOVE ${_sarif_tgz})
  file(REMOVE_RECURSE ${_sarif_dir}/package)
  message(FATAL_ERROR "${SARIF_SCHEMA_NPM_PACKAGE} tarball SHA-512 mismatch:\n  expected ${SARIF_SCHEMA_SHA512}\n  actual   ${_actual}")
endif()

# Extracted on every configure, from the tarball just verified, so the JSON
# always matches the lock.
set(SARIF_SCHEMA_JSON ${_sarif_dir}/${SARIF_SCHEMA_MEMBER})
file(REMOVE_RECURSE ${_sarif_dir}/package)
file(ARCHIVE_EXTRACT INPUT ${_sarif_tgz} DESTINATION ${_sarif_dir} PATTERNS ${SARIF_SCHEMA_MEMBER})
if(NOT EXISTS ${SARIF_SCHEMA_JSON})
  message(FATAL_ERROR "${_sarif_tgz} has no ${SARIF_SCHEMA_MEMBER}")
endif()
