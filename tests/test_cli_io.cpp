// -o never destroys what it names (cli/io.hpp): regular files replaced atomically with
// their permissions, symlinks followed, devices and FIFOs written through, failures rolled
// back, the rollback itself exercised.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "cli/io.hpp"
#include "support.hpp"
#include "text.hpp"

namespace fs = std::filesystem;
using netpol::neutralise_ci_commands;
using netpol::cli::CommandGuardBuf;
using netpol::cli::write_atomically;
using netpol::cli::write_output;
using netpol::test::slurp;
using netpol::test::TempDir;

namespace {

std::size_t entries(const fs::path& dir) {
  return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), {}));
}

}  // namespace

TEST_SUITE("cli: io") {
  TEST_CASE("output reaches standard output in whole lines, each line made inert") {
    std::string text = "| a | b |\n  ::error::x\nok ##[warning]y\n::last";
    for (std::string_view hash : {netpol::kHashProse, netpol::kHashJson}) {
      std::ostringstream out;
      {
        CommandGuardBuf guard(out.rdbuf(), hash);
        std::ostream to(&guard);
        // Written in pieces that split lines and patterns: the result is as for the whole.
        for (std::size_t i = 0; i < text.size(); i += 3) {
          to << text.substr(i, 3);
          if (i == 9) {
            to.flush();  // a flush passes on the complete lines
            CHECK(out.str() == "| a | b |\n");
          }
        }
      }  // the last line at destruction
      CHECK(out.str() == neutralise_ci_commands(text, hash));
    }
    // A long output passes on in batches of whole lines before the end, each made inert.
    std::ostringstream out;
    {
      CommandGuardBuf guard(out.rdbuf(), netpol::kHashJson);
      std::ostream to(&guard);
      for (int i = 0; i < 20000; ++i) to << "::line " << i << "\n";
      CHECK(out.str().size() > 64000);
      CHECK(out.str().back() == '\n');
      CHECK(out.str().rfind("\\::line ", 0) == 0);
    }
    CHECK(out.str().find("\n::") == std::string::npos);
    CHECK(neutralise_ci_commands(text, netpol::kHashProse) ==
          "| a | b |\n  \\::error::x\nok #\\#[warning]y\n\\::last");
  }

  TEST_CASE("a regular file is replaced whole, keeping its permissions") {
    TempDir d;
    fs::path f = fs::path(d.path) / "out.txt";
    write_atomically(f.string(), "first\n");
    ::chmod(f.c_str(), 0640);
    write_atomically(f.string(), "second\n");
    CHECK(slurp(f.string()) == "second\n");
    CHECK((fs::status(f).permissions() & fs::perms::all) ==
          (fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read));
    CHECK(entries(fs::path(d.path)) == 1);  // no temporary file left
  }

  TEST_CASE("a symlink is followed: its target is replaced, the link stays") {
    TempDir d;
    fs::path target = fs::path(d.path) / "real.txt", link = fs::path(d.path) / "link.txt";
    write_atomically(target.string(), "old\n");
    fs::create_symlink("real.txt", link);
    write_atomically(link.string(), "new\n");
    CHECK(fs::is_symlink(fs::symlink_status(link)));
    CHECK(slurp(target.string()) == "new\n");
    // A dangling link makes its target.
    fs::path dangling = fs::path(d.path) / "dangling.txt";
    fs::create_symlink("made.txt", dangling);
    write_atomically(dangling.string(), "made\n");
    CHECK(fs::is_symlink(fs::symlink_status(dangling)));
    CHECK(slurp((fs::path(d.path) / "made.txt").string()) == "made\n");
  }

  TEST_CASE("a FIFO or a device is written through, never replaced by a file") {
    TempDir d;
    fs::path fifo = fs::path(d.path) / "pipe";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    std::string got;
    std::thread reader([&] { got = slurp(fifo.string()); });
    write_atomically(fifo.string(), "through the pipe\n");
    reader.join();
    CHECK(got == "through the pipe\n");
    CHECK(fs::is_fifo(fifo));
    fs::path null_link = fs::path(d.path) / "null";
    fs::create_symlink("/dev/null", null_link);
    write_atomically(null_link.string(), "discarded\n");
    CHECK(fs::is_character_file("/dev/null"));
    CHECK(entries(fs::path(d.path)) == 2);
  }

  TEST_CASE("a failure after the temporary file exists leaves the old file and no debris") {
    TempDir d;
    fs::path f = fs::path(d.path) / "out.txt";
    write_atomically(f.string(), "kept\n");
    bool hook_ran = false;
    std::string message;
    try {
      write_output(f.string(), "lost\n", [&](const std::string& tmp) {
        hook_ran = true;
        CHECK(slurp(tmp) == "lost\n");  // the new content is complete before the rename
        throw netpol::Error("disk gone");
      });
    } catch (const netpol::Error& e) {
      message = e.what();
    }
    CHECK(hook_ran);
    CHECK(message == "disk gone");
    CHECK(slurp(f.string()) == "kept\n");
    CHECK(entries(fs::path(d.path)) == 1);
  }

  TEST_CASE("a directory is refused") {
    TempDir d;
    CHECK_THROWS_WITH_AS(write_atomically(d.path, "x"),
                         ("cannot write " + d.path + ": it is a directory").c_str(), netpol::Error);
  }
}
