#include "layer_check.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace xietong::layers {
namespace {

// A synthetic tree: path → file text.
using Tree = std::map<std::string, std::string>;

std::vector<Violation> CheckTree(const Tree& tree, const std::vector<Exception>& ex = {}) {
  std::vector<SourceFile> files;
  for (const auto& [path, text] : tree) files.push_back({path, ParseIncludes(text)});
  return Check(files, ex);
}

// "path:line rule" for each violation, for readable expectations.
std::vector<std::string> Summary(const std::vector<Violation>& vs) {
  std::vector<std::string> out;
  for (const auto& v : vs) out.push_back(v.path + ":" + std::to_string(v.line) + " " + v.rule);
  return out;
}

std::vector<std::string> Rules(const Tree& tree) {
  std::vector<std::string> out;
  for (const auto& v : CheckTree(tree)) out.push_back(v.rule);
  return out;
}

using Strings = std::vector<std::string>;

// A small tree shaped like ours, with every kind of include the rules allow.
Tree CleanTree() {
  return {
      {"src/core/status.h", "#pragma once\n#include <string>\n"},
      {"src/calendar/calendar.h", "#include \"core/status.h\"\n"},
      {"src/domain/duty.h", "#include \"calendar/calendar.h\"\n#include \"core/status.h\"\n"},
      {"src/storage/store.h", "#include \"domain/duty.h\"\n"},
      {"src/storage/internal/collab_rows.h", "#include \"storage/store.h\"\n"},
      {"src/storage/sqlite/sqlite_store.h", "#include \"storage/store.h\"\n"},
      {"src/storage/sqlite/internal/db.h", "#include <sqlite3.h>\n"},
      {"src/storage/sqlite/sqlite_tx.cc",
       "#include <sqlite3.h>\n#include \"storage/internal/collab_rows.h\"\n"
       "#include \"storage/sqlite/internal/db.h\"\n"},
      {"src/storage/postgres/pg_tx.cc",
       "#include <libpq-fe.h>\n#include \"storage/internal/collab_rows.h\"\n"},
      {"src/storage/copy/copy.cc",
       "#include <libpq-fe.h>\n#include <sqlite3.h>\n#include \"storage/postgres/pg_store.h\"\n"},
      {"src/service/sweep_service.h", "#include \"storage/store.h\"\n#include \"domain/duty.h\"\n"},
      {"src/service/test_util.h", "#include \"storage/sqlite/sqlite_store.h\"\n"},
      {"src/jobs/sweeper.h", "#include \"service/sweep_service.h\"\n"},
      {"src/jobs/sweeper_test.cc",
       "#include \"jobs/sweeper.h\"\n#include \"service/test_util.h\"\n"
       "#include \"storage/store.h\"\n"},
      {"src/reports/document_html.h", "#include \"domain/duty.h\"\n"},
      {"src/http/server.h", "#include <string>\n#include \"core/status.h\"\n"},
      {"src/http/server.cc",
       "#include <boost/asio/io_context.hpp>\n#include <boost/beast/http.hpp>\n"},
      {"src/http/api_duties.cc",
       "#include \"http/server.h\"\n#include \"service/sweep_service.h\"\n"},
      {"src/cli/main.cc",
       "#include \"http/server.h\"\n#include \"jobs/sweeper.h\"\n#include "
       "\"reports/document_html.h\"\n"
       "#include \"storage/sqlite/sqlite_store.h\"\n#include \"storage/copy/copy.h\"\n"},
      {"bench/datagen.cc",
       "#include <sodium.h>\n#include \"storage/sqlite/sqlite_store.h\"\n#include "
       "\"jobs/sweeper.h\"\n"},
      {"tests/http/anything.cc", "#include \"../../src/whatever.h\"\n#include <sqlite3.h>\n"},
  };
}

TEST(LayerCheckTest, ACleanTreePasses) { EXPECT_EQ(Summary(CheckTree(CleanTree())), Strings{}); }

// The throwaway change: one upward include added to the clean tree makes the check fail.
TEST(LayerCheckTest, FailsOnAnUpwardInclude) {
  Tree t = CleanTree();
  t["src/domain/duty.h"] += "#include \"service/sweep_service.h\"\n";
  const auto vs = CheckTree(t);
  ASSERT_EQ(Summary(vs), Strings{"src/domain/duty.h:3 layer-order"});
  EXPECT_EQ(vs[0].target, "service/sweep_service.h");
  EXPECT_EQ(Format(vs[0]),
            "src/domain/duty.h:3: #include \"service/sweep_service.h\" [layer-order] "
            "domain may not include service (a layer above it)");
}

TEST(LayerCheckTest, EveryUpwardPairFails) {
  const Strings order = {"core", "calendar", "domain", "storage", "service", "http", "cli"};
  for (size_t lo = 0; lo < order.size(); ++lo) {
    for (size_t hi = lo + 1; hi < order.size(); ++hi) {
      Tree t = {{"src/" + order[lo] + "/a.cc", "#include \"" + order[hi] + "/b.h\"\n"}};
      EXPECT_EQ(Rules(t), Strings{"layer-order"}) << order[lo] << " -> " << order[hi];
      Tree down = {{"src/" + order[hi] + "/a.cc", "#include \"" + order[lo] + "/b.h\"\n"}};
      const auto vs = CheckTree(down);
      // Going down is fine, except where a narrower rule applies (storage's own rule).
      for (const auto& v : vs) EXPECT_NE(v.rule, "layer-order") << Format(v);
    }
  }
}

TEST(LayerCheckTest, JobsHttpAndReportsDoNotIncludeEachOther) {
  const Strings siblings = {"jobs", "http", "reports"};
  for (const auto& a : siblings) {
    for (const auto& b : siblings) {
      if (a == b) continue;
      Tree t = {{"src/" + a + "/x.cc", "#include \"" + b + "/y.h\"\n"}};
      EXPECT_EQ(Rules(t), Strings{"layer-sideways"}) << a << " -> " << b;
    }
  }
}

TEST(LayerCheckTest, JobsAndHttpReachDataOnlyThroughService) {
  EXPECT_EQ(Rules({{"src/jobs/sweeper.h", "#include \"storage/store.h\"\n"}}),
            Strings{"data-through-service"});
  EXPECT_EQ(Rules({{"src/http/api_x.cc", "#include \"storage/db_url.h\"\n"}}),
            Strings{"data-through-service"});
  // Their tests set up a real store.
  EXPECT_EQ(Rules({{"src/http/idempotency_test.cc", "#include \"storage/store.h\"\n"}}), Strings{});
  // cli and service may.
  EXPECT_EQ(Rules({{"src/cli/serve.cc", "#include \"storage/store.h\"\n"}}), Strings{});
  EXPECT_EQ(Rules({{"src/service/x.cc", "#include \"storage/store.h\"\n"}}), Strings{});
}

TEST(LayerCheckTest, BackendsAreNamedOnlyByCliTestsAndBench) {
  EXPECT_EQ(Rules({{"src/service/x.cc", "#include \"storage/sqlite/sqlite_store.h\"\n"}}),
            Strings{"storage-backend"});
  EXPECT_EQ(Rules({{"src/http/x.cc", "#include \"storage/postgres/pg_store.h\"\n"}}),
            (Strings{"data-through-service", "storage-backend"}));
  EXPECT_EQ(Rules({{"src/storage/store.cc", "#include \"storage/sqlite/sqlite_store.h\"\n"}}),
            Strings{"storage-backend"});
  EXPECT_EQ(Rules({{"src/storage/sqlite/a.cc", "#include \"storage/postgres/pg_store.h\"\n"}}),
            Strings{"storage-backend"});
  EXPECT_EQ(Rules({{"src/storage/postgres/a.cc", "#include \"storage/copy/copy.h\"\n"}}),
            Strings{"storage-backend"});
  EXPECT_EQ(Rules({{"src/storage/copy/a.cc",
                    "#include \"storage/copy/b.h\"\n"
                    "#include \"storage/sqlite/sqlite_store.h\"\n"}}),
            Strings{});
  EXPECT_EQ(Rules({{"src/cli/open_store.cc", "#include \"storage/postgres/pg_store.h\"\n"}}),
            Strings{});
  EXPECT_EQ(Rules({{"src/service/x_test.cc", "#include \"storage/sqlite/sqlite_store.h\"\n"}}),
            Strings{});
  EXPECT_EQ(Rules({{"bench/x.cc", "#include \"storage/postgres/pg_store.h\"\n"}}), Strings{});
}

TEST(LayerCheckTest, InternalHeadersStayInTheirFolder) {
  EXPECT_EQ(Rules({{"bench/datagen.cc", "#include \"storage/sqlite/internal/tx.h\"\n"}}),
            Strings{"internal-header"});
  EXPECT_EQ(Rules({{"src/cli/x.cc", "#include \"storage/sqlite/internal/db.h\"\n"}}),
            Strings{"internal-header"});
  // A test outside the folder is no exception.
  EXPECT_EQ(Rules({{"src/service/x_test.cc", "#include \"storage/sqlite/internal/db.h\"\n"}}),
            Strings{"internal-header"});
  EXPECT_EQ(Rules({{"src/storage/postgres/x.cc", "#include \"storage/sqlite/internal/db.h\"\n"}}),
            (Strings{"internal-header", "storage-backend"}));
  EXPECT_EQ(Rules({{"src/service/x.cc", "#include \"storage/internal/collab_rows.h\"\n"}}),
            Strings{"internal-header"});
  EXPECT_EQ(
      Rules({{"src/storage/sqlite/x.cc", "#include \"storage/sqlite/internal/db.h\"\n"},
             {"src/storage/postgres/y.cc", "#include \"storage/internal/collab_rows.h\"\n"},
             {"src/storage/sqlite/internal/z.cc", "#include \"storage/sqlite/internal/db.h\"\n"}}),
      Strings{});
}

TEST(LayerCheckTest, BeastAndAsioOnlyInServerCc) {
  EXPECT_EQ(Rules({{"src/http/server.cc", "#include <boost/beast/core.hpp>\n"}}), Strings{});
  EXPECT_EQ(Rules({{"src/http/server.h", "#include <boost/asio/io_context.hpp>\n"}}),
            Strings{"beast-asio"});
  EXPECT_EQ(Rules({{"src/http/router.cc", "#include <boost/beast/http.hpp>\n"}}),
            Strings{"beast-asio"});
  EXPECT_EQ(Rules({{"src/http/server_test.cc", "#include <boost/asio.hpp>\n"}}),
            Strings{"beast-asio"});
  EXPECT_EQ(Rules({{"bench/x.cc", "#include <boost/asio/io_context.hpp>\n"}}),
            Strings{"beast-asio"});
  // Boost.JSON is not Beast.
  EXPECT_EQ(Rules({{"src/domain/x.cc", "#include <boost/json.hpp>\n"}}), Strings{});
}

TEST(LayerCheckTest, SqlClientsOnlyUnderStorage) {
  EXPECT_EQ(Rules({{"src/cli/migrate_data.cc", "#include <libpq-fe.h>\n#include <sqlite3.h>\n"}}),
            (Strings{"sql-client", "sql-client"}));
  EXPECT_EQ(Rules({{"bench/datagen.cc", "#include <sqlite3.h>\n"}}), Strings{"sql-client"});
  EXPECT_EQ(Rules({{"src/service/n_test.cc", "#include <sqlite3.h>\n"}}), Strings{"sql-client"});
  EXPECT_EQ(Rules({{"src/storage/store.cc", "#include <sqlite3.h>\n"},
                   {"src/storage/postgres/x.cc", "#include <postgresql/libpq-fe.h>\n"}}),
            Strings{});
}

TEST(LayerCheckTest, ProjectIncludesAreWrittenFromSrc) {
  EXPECT_EQ(Rules({{"src/jobs/sweeper.cc", "#include \"sweeper.h\"\n"}}), Strings{"include-path"});
  EXPECT_EQ(Rules({{"src/jobs/sweeper.cc", "#include \"../service/x.h\"\n"}}),
            Strings{"include-path"});
  EXPECT_EQ(Rules({{"src/jobs/sweeper.cc", "#include \"nolayer/x.h\"\n"}}),
            Strings{"include-path"});
}

TEST(LayerCheckTest, AFolderOutsideTheOrderIsRefused) {
  EXPECT_EQ(Rules({{"src/workflow/engine.cc", "#include \"core/status.h\"\n"}}),
            Strings{"unknown-layer"});
}

TEST(LayerCheckTest, FilesOutsideSrcAndBenchAreNotChecked) {
  EXPECT_EQ(Rules({{"tests/layers/x.cc", "#include \"layer_check.h\"\n#include <sqlite3.h>\n"},
                   {"web/x.cc", "#include <boost/asio.hpp>\n"}}),
            Strings{});
}

TEST(LayerCheckTest, ExceptionsExcuseOneIncludeAndAStaleOneIsReported) {
  Tree t = {{"src/http/api_documents.cc",
             "#include \"reports/document_html.h\"\n"
             "#include \"jobs/sweeper.h\"\n"}};
  const std::vector<Exception> ex = {
      {"src/http/api_documents.cc", "reports/document_html.h", "pending"},
      {"src/http/gone.cc", "reports/x.h", "fixed meanwhile"},
  };
  EXPECT_EQ(Summary(CheckTree(t, ex)), (Strings{"src/http/api_documents.cc:2 layer-sideways",
                                                "src/http/gone.cc:0 stale-exception"}));
}

TEST(LayerCheckTest, KnownExceptionsGiveTheirReasons) {
  for (const auto& e : KnownExceptions()) {
    EXPECT_FALSE(e.reason.empty()) << e.path;
    EXPECT_EQ(e.path.rfind("src/", 0), 0u) << e.path;
  }
}

TEST(LayerCheckTest, ParseIncludesSkipsCommentsAndKeepsLineNumbers) {
  const auto incs = ParseIncludes(
      "// #include \"http/server.h\"\n"
      "#include \"core/status.h\"  // Status\n"
      "/* #include <sqlite3.h>\n"
      "   #include <libpq-fe.h> */\n"
      "#  include <vector>\n"
      "\t#include\t\"domain/duty.h\"\n"
      "const char* s = \"#include <boost/asio.hpp>\";\n"
      "#define X 1 /* start\n"
      "#include \"jobs/hidden.h\"\n"
      "end */\n"
      "#include \"service/x.h\"\n"
      "#include \"unterminated.h\n"
      "#include <last.h>");
  ASSERT_EQ(incs.size(), 5u);
  EXPECT_EQ(incs[0].target, "core/status.h");
  EXPECT_EQ(incs[0].line, 2);
  EXPECT_FALSE(incs[0].angled);
  EXPECT_EQ(incs[1].target, "vector");
  EXPECT_EQ(incs[1].line, 5);
  EXPECT_TRUE(incs[1].angled);
  EXPECT_EQ(incs[2].target, "domain/duty.h");
  EXPECT_EQ(incs[2].line, 6);
  EXPECT_EQ(incs[3].target, "service/x.h");  // after the block comment closes
  EXPECT_EQ(incs[3].line, 11);
  EXPECT_EQ(incs[4].target, "last.h");
  EXPECT_EQ(incs[4].line, 13);
}

}  // namespace
}  // namespace xietong::layers
