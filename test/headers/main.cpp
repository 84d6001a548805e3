// The standalone-header test (test/headers/meson.build): one translation unit per public
// header is linked into this program. Building it is the test (a header that is not
// self-contained fails to compile; a non-inline definition in a header fails to link);
// running it only confirms the link succeeded.
int main() { return 0; }
