#include "results/details_chart.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace redproof {
namespace {

TEST(DetailsChart, TakesEveryNumberArrayWhoseKeyEndsInPerSecond) {
  const nlohmann::json details = {{"db_loads_per_second", {0, 3, 40, 2}},
                                  {"hit_ratio", 0.9},
                                  {"ops_per_second", {100, 120.5, 90, 80}},
                                  {"reads", {1, 2}},
                                  {"names_per_second", {"a", "b"}},
                                  {"empty_per_second", nlohmann::json::array()},
                                  {"_per_second", {1}}};
  const std::vector<DetailSeries> series = detail_series(details);
  ASSERT_EQ(series.size(), 2u);
  EXPECT_EQ(series[0].key, "db_loads_per_second");
  EXPECT_EQ(series[0].title, "db loads per second");
  EXPECT_EQ(series[0].values, (std::vector<double>{0, 3, 40, 2}));
  EXPECT_EQ(series[1].key, "ops_per_second");
  EXPECT_DOUBLE_EQ(series[1].step_s, 1.0);
  EXPECT_DOUBLE_EQ(series[1].values[1], 120.5);
}

TEST(DetailsChart, TakesFinerSeriesNamedByTheirMilliseconds) {
  const nlohmann::json details = {{"db_loads_per_100ms", {0, 5, 0}},
                                  {"_per_100ms", {1}},
                                  {"x_per_ms", {1}},
                                  {"x_per_0ms", {1}},
                                  {"x_per_1e3ms", {1}},
                                  {"x_per_1234567ms", {1}},
                                  {"x_per_250ms", {2, 3}}};
  const std::vector<DetailSeries> series = detail_series(details);
  ASSERT_EQ(series.size(), 2u);
  EXPECT_EQ(series[0].key, "db_loads_per_100ms");
  EXPECT_DOUBLE_EQ(series[0].step_s, 0.1);
  EXPECT_EQ(series[0].title, "db loads per 100ms");
  EXPECT_EQ(series[1].key, "x_per_250ms");
  EXPECT_DOUBLE_EQ(series[1].step_s, 0.25);
}

TEST(DetailsChart, NothingToDrawInDetailsThatAreNotAnObject) {
  EXPECT_TRUE(detail_series(nlohmann::json::array({1, 2})).empty());
  EXPECT_TRUE(detail_series(nlohmann::json()).empty());
}

TEST(DetailsChart, ReadsMarkersAndHowManyWereLeftOut) {
  const nlohmann::json details = {{"markers",
                                   {{{"t_s", 3.21}, {"label", "expiry or eviction: key:7"}},
                                    {{"t_s", 4}},  // no label: drawn unlabelled
                                    {{"t_s", -1.0}, {"label", "before the run"}},  // skipped
                                    {{"t_s", "5"}, {"label", "not a number"}},     // skipped
                                    {{"label", "no time"}},                        // skipped
                                    7}},  // not an object: skipped
                                  {"markers_left_out", 12}};
  const DetailMarkers m = detail_markers(details);
  ASSERT_EQ(m.marks.size(), 2u);
  EXPECT_DOUBLE_EQ(m.marks[0].t_s, 3.21);
  EXPECT_EQ(m.marks[0].label, "expiry or eviction: key:7");
  EXPECT_DOUBLE_EQ(m.marks[1].t_s, 4.0);
  EXPECT_EQ(m.marks[1].label, "");
  EXPECT_EQ(m.left_out, 12);
}

TEST(DetailsChart, NoMarkersWhereThereAreNone) {
  EXPECT_TRUE(detail_markers(nlohmann::json{{"markers", "soon"}}).marks.empty());
  EXPECT_TRUE(detail_markers(nlohmann::json::array()).marks.empty());
  EXPECT_EQ(detail_markers(nlohmann::json{{"markers_left_out", "many"}}).left_out, 0);
}

}  // namespace
}  // namespace redproof
