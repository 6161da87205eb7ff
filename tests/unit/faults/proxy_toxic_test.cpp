// The toxic model: the text and JSON forms, their round trips, and every rejection with a
// message that says what is wrong.
#include <gtest/gtest.h>

#include <string>

#include "faults/proxy/toxic.hpp"

namespace redproof::proxy {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(ProxyToxicParse, Latency) {
  Toxic t = parse_toxic("latency:50ms:10ms");
  EXPECT_EQ(t.type, ToxicType::kLatency);
  EXPECT_EQ(t.latency, milliseconds(50));
  EXPECT_EQ(t.jitter, milliseconds(10));
  EXPECT_EQ(t.stream, Direction::kDownstream);  // Toxiproxy's default
  EXPECT_EQ(t.toxicity, 1.0);
  EXPECT_EQ(t.name, "latency_downstream");
  EXPECT_TRUE(t.delays_data());

  Toxic no_jitter = parse_toxic("latency:1.5s");
  EXPECT_EQ(no_jitter.latency, milliseconds(1500));
  EXPECT_EQ(no_jitter.jitter, Nanos(0));
}

TEST(ProxyToxicParse, EveryType) {
  Toxic bw = parse_toxic("bandwidth:100");
  EXPECT_EQ(bw.type, ToxicType::kBandwidth);
  EXPECT_EQ(bw.rate_kbps, 100);

  Toxic hole = parse_toxic("timeout");
  EXPECT_EQ(hole.type, ToxicType::kTimeout);
  EXPECT_EQ(hole.timeout, Nanos(0));
  EXPECT_FALSE(hole.delays_data());
  EXPECT_EQ(parse_toxic("timeout:0").timeout, Nanos(0));
  EXPECT_EQ(parse_toxic("timeout:2s").timeout, seconds(2));

  Toxic reset = parse_toxic("reset_peer");
  EXPECT_EQ(reset.type, ToxicType::kResetPeer);
  EXPECT_EQ(reset.timeout, Nanos(0));
  EXPECT_EQ(parse_toxic("reset-peer:100ms").timeout, milliseconds(100));

  Toxic slicer = parse_toxic("slicer:64:16:1ms");
  EXPECT_EQ(slicer.type, ToxicType::kSlicer);
  EXPECT_EQ(slicer.average_size, 64u);
  EXPECT_EQ(slicer.size_variation, 16u);
  EXPECT_EQ(slicer.delay, milliseconds(1));
  Toxic plain_slicer = parse_toxic("slicer:8");
  EXPECT_EQ(plain_slicer.size_variation, 0u);
  EXPECT_EQ(plain_slicer.delay, Nanos(0));

  Toxic limit = parse_toxic("limit-data:1024");
  EXPECT_EQ(limit.type, ToxicType::kLimitData);
  EXPECT_EQ(limit.bytes, 1024u);
  EXPECT_EQ(limit.name, "limit_data_downstream");
}

TEST(ProxyToxicParse, Options) {
  Toxic t = parse_toxic("latency:20ms,stream=up,toxicity=0.25,name=slow");
  EXPECT_EQ(t.stream, Direction::kUpstream);
  EXPECT_EQ(t.toxicity, 0.25);
  EXPECT_EQ(t.name, "slow");
  EXPECT_EQ(parse_toxic("timeout,stream=upstream").name, "timeout_upstream");
  EXPECT_EQ(parse_toxic("timeout,stream=downstream").stream, Direction::kDownstream);
  EXPECT_EQ(parse_toxic("timeout,from=127.0.0.12").from, "127.0.0.12");
  EXPECT_EQ(parse_toxic("timeout").from, "");
  EXPECT_EQ(parse_toxic_spec(R"({"type":"timeout","from":"10.0.0.1"})").from, "10.0.0.1");
}

TEST(ProxyToxicParse, TextRoundTrip) {
  for (const char* text :
       {"latency:50ms:10ms", "latency:1500us,stream=up,toxicity=0.3", "bandwidth:7",
        "timeout:250ms,name=hole", "reset_peer:1s", "slicer:64:16:250us", "limit_data:0",
        "latency:1ns:1ns", "timeout,stream=up,name=cut,from=127.0.0.3"}) {
    Toxic t = parse_toxic(text);
    EXPECT_EQ(parse_toxic(to_string(t)), t) << text << " -> " << to_string(t);
    EXPECT_EQ(toxic_from_json(to_json(t)), t) << text << " -> " << to_json(t).dump();
  }
}

TEST(ProxyToxicParse, ToxiproxyJson) {
  Toxic t = parse_toxic_spec(R"({"name":"lag","type":"latency","stream":"upstream","toxicity":0.5,)"
                             R"("attributes":{"latency":50,"jitter":10}})");
  EXPECT_EQ(t.name, "lag");
  EXPECT_EQ(t.latency, milliseconds(50));
  EXPECT_EQ(t.jitter, milliseconds(10));
  EXPECT_EQ(t.stream, Direction::kUpstream);
  EXPECT_EQ(t.toxicity, 0.5);

  Toxic s = parse_toxic_spec(
      R"( {"type":"slicer","attributes":{"average_size":10,"size_variation":2,"delay":300}})");
  EXPECT_EQ(s.delay, microseconds(300));  // Toxiproxy's slicer delay is in µs
  EXPECT_EQ(s.name, "slicer_downstream");

  Toxic hole = parse_toxic_spec(R"({"type":"timeout","attributes":{"timeout":"2s"}})");
  EXPECT_EQ(hole.timeout, seconds(2));
  EXPECT_EQ(parse_toxic_spec(R"({"type":"timeout"})").timeout, Nanos(0));
  EXPECT_EQ(parse_toxic_spec(R"({"type":"limit_data","attributes":{"bytes":5}})").bytes, 5u);
  EXPECT_EQ(parse_toxic_spec(R"({"type":"bandwidth","attributes":{"rate":3}})").rate_kbps, 3);

  auto j = to_json(parse_toxic("latency:50ms:10ms"));
  EXPECT_EQ(j["attributes"]["latency"], 50);
  EXPECT_EQ(j["type"], "latency");
  EXPECT_EQ(j["stream"], "downstream");
}

// Each rejection: the spec and a piece of the message that must name the problem.
struct Rejection {
  const char* spec;
  const char* message;
};

class ProxyToxicReject : public testing::TestWithParam<Rejection> {};

TEST_P(ProxyToxicReject, SaysWhy) {
  const Rejection& r = GetParam();
  try {
    parse_toxic_spec(r.spec);
    FAIL() << "accepted: " << r.spec;
  } catch (const ToxicError& e) {
    EXPECT_NE(std::string(e.what()).find(r.message), std::string::npos)
        << "spec: " << r.spec << "\nmessage: " << e.what();
    EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << "one line: " << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(
    Text, ProxyToxicReject,
    testing::Values(Rejection{"", "toxic is empty"}, Rejection{"lag:50ms", "unknown type 'lag'"},
                    Rejection{"latency", "expected latency:LATENCY[:JITTER]"},
                    Rejection{"latency:1ms:1ms:1ms", "expected latency:LATENCY[:JITTER]"},
                    Rejection{"latency:50", "latency '50' has no unit: write e.g. 50ms"},
                    Rejection{"latency:50xs", "latency '50xs' is not a duration"},
                    Rejection{"latency:", "latency is empty"},
                    Rejection{"latency:10ms:20ms", "jitter 20ms is larger than latency 10ms"},
                    Rejection{"latency:2h", "latency is longer than 1h"},
                    Rejection{"bandwidth", "expected bandwidth:RATE"},
                    Rejection{"bandwidth:0", "rate must be > 0"},
                    Rejection{"bandwidth:-5", "rate '-5' is not a non-negative integer"},
                    Rejection{"bandwidth:fast", "rate 'fast' is not a non-negative integer"},
                    Rejection{"bandwidth:99999999999", "rate is above"},
                    Rejection{"timeout:1ms:2ms", "expected timeout[:TIMEOUT]"},
                    Rejection{"timeout:soon", "timeout 'soon' is not a duration"},
                    Rejection{"reset_peer:5", "timeout '5' has no unit"},
                    Rejection{"slicer", "expected slicer:AVERAGE_SIZE"},
                    Rejection{"slicer:0", "average_size must be > 0"},
                    Rejection{"slicer:10:10",
                              "size_variation 10 must be smaller than average_size 10"},
                    Rejection{"slicer:10:2:3", "delay '3' has no unit"},
                    Rejection{"slicer:4000000", "average_size is above 1 MiB"},
                    Rejection{"limit_data", "expected limit_data:BYTES"},
                    Rejection{"limit_data:1.5", "bytes '1.5' is not a non-negative integer"},
                    Rejection{"timeout,down", "option 'down' is not KEY=VALUE"},
                    Rejection{"timeout,speed=3", "unknown option 'speed'"},
                    Rejection{"timeout,stream=sideways",
                              "stream 'sideways' is neither upstream nor downstream"},
                    Rejection{"timeout,toxicity=1.5", "toxicity 1.500000 is not in [0, 1]"},
                    Rejection{"timeout,toxicity=-0.1", "is not in [0, 1]"},
                    Rejection{"timeout,toxicity=often", "toxicity 'often' is not a number"},
                    Rejection{"timeout,name=", "name is empty"},
                    Rejection{"timeout,name=a b", "name may not contain"},
                    Rejection{"timeout,from=localhost", "from 'localhost' is not an IPv4"},
                    Rejection{"timeout,from=127.0.0.01", "is not an IPv4 address"}));

INSTANTIATE_TEST_SUITE_P(
    Json, ProxyToxicReject,
    testing::Values(
        Rejection{"{\"type\":", "is not valid JSON"},
        Rejection{"{\"name\":\"x\"}", "needs a string \"type\""},
        Rejection{"{\"type\":\"lag\"}", "unknown type 'lag'"},
        Rejection{"{\"type\":\"timeout\",\"colour\":1}", "unknown field 'colour'"},
        Rejection{"{\"type\":\"latency\"}", "attribute 'latency' is required"},
        Rejection{"{\"type\":\"latency\",\"attributes\":{\"latency\":5,\"jiter\":1}}",
                  "unknown attribute 'jiter'"},
        Rejection{"{\"type\":\"latency\",\"attributes\":{\"latency\":-5}}", "latency must be >= 0"},
        Rejection{"{\"type\":\"latency\",\"attributes\":{\"latency\":true}}",
                  "latency must be a number or a duration string"},
        Rejection{"{\"type\":\"latency\",\"attributes\":{\"latency\":5,\"jitter\":9}}",
                  "jitter 9ms is larger than latency 5ms"},
        Rejection{"{\"type\":\"bandwidth\",\"attributes\":{\"rate\":-1}}", "rate must be >= 0"},
        Rejection{"{\"type\":\"limit_data\",\"attributes\":{\"bytes\":\"many\"}}",
                  "bytes must be a non-negative integer"},
        Rejection{"{\"type\":\"timeout\",\"stream\":\"both\"}", "stream 'both' is neither"},
        Rejection{"{\"type\":\"timeout\",\"toxicity\":\"high\"}", "toxicity must be a number"},
        Rejection{"{\"type\":\"timeout\",\"toxicity\":2}", "is not in [0, 1]"},
        Rejection{"{\"type\":\"timeout\",\"attributes\":[]}", "attributes must be an object"},
        Rejection{"{\"type\":\"timeout\",\"from\":7}", "from must be a string"}));

TEST(ProxyToxicReject, ArrayIsNotAToxic) {
  EXPECT_THROW(toxic_from_json(nlohmann::json::array()), ToxicError);
}

TEST(ProxyToxicValidate, ToxicsBuiltInCode) {
  Toxic t;
  t.type = ToxicType::kBandwidth;
  t.name = "bw";
  t.rate_kbps = 10;
  EXPECT_NO_THROW(validate(t));
  t.rate_kbps = 0;
  EXPECT_THROW(validate(t), ToxicError);
  t.rate_kbps = 10;
  t.name = "";
  EXPECT_THROW(validate(t), ToxicError);
}

}  // namespace
}  // namespace redproof::proxy
