#include <gtest/gtest.h>

#include "conf/guc.hpp"

using pgl::conf::find_guc;

TEST(GucTable, EveryVersionHasItsTable) {
  // Row counts of data/gucs/NN.tsv (spec section 6).
  // (+ extension_destdir everywhere, allow_in_place_tablespaces in 12 and 13, file_extend_method
  // in 16 and 17: the latest minors and Debian's packages, checked by test_guc_tables.)
  const std::pair<int, std::size_t> expected[] = {{12, 333}, {13, 348}, {14, 363}, {15, 370},
                                                  {16, 379}, {17, 395}, {18, 418}};
  for (auto [v, n] : expected) {
    EXPECT_EQ(pgl::conf::all_gucs(v).size(), n) << "version " << v;
  }
}

TEST(GucTable, LookupIsCaseInsensitiveWithAliases) {
  ASSERT_NE(find_guc(15, "WORK_MEM"), nullptr);
  EXPECT_EQ(find_guc(15, "sort_mem")->name, "work_mem");
  EXPECT_EQ(find_guc(15, "vacuum_mem")->name, "maintenance_work_mem");
  EXPECT_EQ(find_guc(18, "ssl_ecdh_curve")->name, "ssl_groups");
  EXPECT_NE(find_guc(15, "ssl_ecdh_curve"), nullptr);
  EXPECT_EQ(find_guc(15, "wal_debug"), nullptr) << "debug-only parameters are unknown";
  EXPECT_EQ(find_guc(13, "wal_keep_segments"), nullptr);
  EXPECT_NE(find_guc(12, "wal_keep_segments"), nullptr);
}

TEST(GucTable, BuildDependentEnumValuesAreListed) {
  // io_method = io_uring exists in builds with liburing (the packaged servers): 18 only.
  const auto* def = find_guc(18, "io_method");
  ASSERT_NE(def, nullptr);
  EXPECT_NE(def->enum_values.find("io_uring"), std::string_view::npos);
  EXPECT_TRUE(pgl::conf::check_value(18, *def, "io_uring").ok);
  EXPECT_FALSE(pgl::conf::check_value(18, *def, "io_urin").ok);
}
