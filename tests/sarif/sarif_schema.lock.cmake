# Pinned SARIF 2.1.0 JSON schema (the OASIS schema, sarif-2.1.0-rtm.5.json),
# as shipped by the npm package @microsoft/jest-sarif under lib/schemas/.
set(SARIF_SCHEMA_NPM_PACKAGE @microsoft/jest-sarif)
set(SARIF_SCHEMA_NPM_VERSION 1.0.0-beta.0)
set(SARIF_SCHEMA_MEMBER package/lib/schemas/sarif-2.1.0-rtm.5.json)
# sha512sum of the npm tarball (the registry's "integrity" field, in hex).
set(SARIF_SCHEMA_SHA512 0357ce84f77a21ce620e4e05f583f0d6a341e1717eefe22f891ef197caf617a433424c7972963d2ec1a4dab1318852047016e3a559d29b058606e9004a4890f4)
