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
    CHECK(neutralise_ci_commands("::error::x\n", netpol::kHashProse) == "\\::error::x\n");
    CHECK(neutralise_ci_commands("ok\n   \t::add-mask::s\nok::x\n", netpol::kHashProse) ==
          "ok\n   \t\\::add-mask::s\nok::x\n");
    CHECK(neutralise_ci_commands("a\n::x", netpol::kHashProse) ==
          "a\n\\::x");  // last line, no newline
    CHECK(neutralise_ci_commands(":x\n: :\n", netpol::kHashProse) == ":x\n: :\n");
    std::string plain = "| a | b |\n\n- c\n";
    CHECK(neutralise_ci_commands(plain, netpol::kHashProse) == plain);
  }

  TEST_CASE("the older CI command forms, anywhere in a line, each format by its own escape") {
    using netpol::kHashProse;
    CHECK(neutralise_ci_commands("x ##[error]y ##vso[task.x]z ##q ##\n", kHashProse) ==
          "x #\\#[error]y #\\#vso[task.x]z ##q ##\n");
    CHECK(neutralise_ci_commands("::a ##[b\n", kHashProse) == "\\::a #\\#[b\n");
    CHECK(neutralise_ci_commands("###[x\n", kHashProse) == "##\\#[x\n");
    CHECK(neutralise_ci_commands("{\"a\": \"##vso[x\"}\n", netpol::kHashJson) ==
          "{\"a\": \"#\\u0023vso[x\"}\n");
    CHECK(neutralise_ci_commands("<t>##[e</t>##[", netpol::kHashXml) == "<t>#&#35;[e</t>#&#35;[");
    CHECK(neutralise_ci_commands("a: \"##[e\"\n", netpol::kHashYaml) == "a: \"#\\x23[e\"\n");
  }

  TEST_CASE("one_line escapes noncharacters, which XML cannot hold") {
    CHECK(one_line("a\xEF\xBF\xBE"
                   "b") == "a\\uFFFEb");
    CHECK(one_line("\xEF\xB7\x90") == "\\uFDD0");
    CHECK(one_line("\xF4\x8F\xBF\xBF") == "\\U0010FFFF");
    CHECK(one_line("\xF4\x8F\xBF\xBD") == "\xF4\x8F\xBF\xBD");  // U+10FFFD is text
  }
}
