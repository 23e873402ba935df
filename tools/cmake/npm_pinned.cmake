# npm_fetch_pinned(PACKAGE VERSION SHA512 DIR OUT_VAR): `npm pack` an exact
# version of an npm package into DIR (once) and verify the tarball against a
# pinned SHA-512 before anything uses it; a mismatch deletes the tarball and
# stops the configure. Sets OUT_VAR to the tarball's path. Nothing fetched
# is committed: the grammar and the SARIF schema come this way.
function(npm_fetch_pinned package version sha512 dir out_var)
  # npm pack names a scoped package's tarball <scope>-<name>-<version>.tgz.
  string(REGEX REPLACE "^@" "" name ${package})
  string(REPLACE "/" "-" name ${name})
  set(tgz ${dir}/${name}-${version}.tgz)
  file(MAKE_DIRECTORY ${dir})
  if(NOT EXISTS ${tgz})
    find_program(NPM npm REQUIRED)
    message(STATUS "Fetching ${package}@${version} with npm pack")
    execute_process(
      COMMAND ${NPM} pack --silent ${package}@${version}
      WORKING_DIRECTORY ${dir}
      RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
    if(NOT rc EQUAL 0 OR NOT EXISTS ${tgz})
      message(FATAL_ERROR "npm pack ${package}@${version} failed: ${err}")
    endif()
  endif()
  file(SHA512 ${tgz} actual)
  if(NOT actual STREQUAL sha512)
    file(REMOVE ${tgz})
    file(REMOVE_RECURSE ${dir}/package)
    message(FATAL_ERROR "${package}@${version} tarball SHA-512 mismatch:\n  expected ${sha512}\n  actual   ${actual}")
  endif()
  set(${out_var} ${tgz} PARENT_SCOPE)
endfunction()
