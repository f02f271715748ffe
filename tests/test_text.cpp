#include "support.hpp"
#include "text.hpp"

using netpol::neutralise_ci_commands;
using netpol::one_line;

TEST_SUITE("text") {
  TEST_CASE("one_line escapes line breaks, control characters and bytes that are not UTF-8") {
    CHECK(one_line("plain é/漢 \"q\"") == "plain é/漢 \"q\"");
    CHECK(one_line("a\nb\rc\td") == "a\\nb\\rc\\td");
    CHECK(one_line("\x1b[31mred") == "\\x1B[31mred");
    CHECK(one_line(std::string("nul\0x", 5)) == "nul\\x00x");
    CHECK(one_line("del\x7f") == "del\\x7F");
    CHECK(one_line("next\xc2\x85line") == "next\\u0085line");    // C1 NEL
    CHECK(one_line("bad\xff\xc0\xaf") == "bad\\xFF\\xC0\\xAF");  // invalid, overlong
    CHECK(one_line("cut\xe6\xbc") == "cut\\xE6\\xBC");           // truncated sequence
  }

  TEST_CASE("a line that begins with :: is not a workflow command") {
    CHECK(neutralise_ci_commands("::error::x\n", false) == "\\::error::x\n");
    CHECK(neutralise_ci_commands("ok\n   \t::add-mask::s\nok::x\n", false) ==
          "ok\n   \t\\::add-mask::s\nok::x\n");
    CHECK(neutralise_ci_commands("a\n::x", false) == "a\n\\::x");  // last line, no newline
    CHECK(neutralise_ci_commands(":x\n: :\n", false) == ":x\n: :\n");
    std::string plain = "| a | b |\n\n- c\n";
    CHECK(neutralise_ci_commands(plain, true) == plain);
  }

  TEST_CASE("the older CI command forms, anywhere in a line, only when asked") {
    CHECK(neutralise_ci_commands("x ##[error]y ##vso[task.x]z ##q ##\n", true) ==
          "x #\\#[error]y #\\#vso[task.x]z ##q ##\n");
    CHECK(neutralise_ci_commands("x ##[error]y\n", false) == "x ##[error]y\n");
    CHECK(neutralise_ci_commands("::a ##[b\n", true) == "\\::a #\\#[b\n");
    CHECK(neutralise_ci_commands("###[x\n", true) == "##\\#[x\n");
  }
}
