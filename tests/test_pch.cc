// The target that builds the unit tests' precompiled header (tests/CMakeLists.txt) needs a
// source of its own; this is it.
