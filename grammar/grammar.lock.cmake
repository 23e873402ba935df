# Pinned grammar. Debian's libtree-sitter 0.20.7 loads ABI 14 at most, which
# tree-sitter-python 0.23.6 is generated for (0.25 is ABI 15).
set(TS_PYTHON_VERSION 0.23.6)
# sha512sum of the npm tarball (the registry's "integrity" field, in hex).
set(TS_PYTHON_SHA512 c8833dcf4a31288c53edb02d3ce860a1597a8135e59a5221b9eee58854f8a013c5fe585aec76b8750052f3602fea130c459a159c5248f0cea62fe4b05a82c3dc)
