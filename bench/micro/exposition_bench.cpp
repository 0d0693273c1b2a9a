// The serializers (text 0.0.4 and OpenMetrics 1.0) against prometheus-cpp's TextSerializer on the same families,
// and gzip of a typical body against zlib's.
#include <benchmark/benchmark.h>
#include <prometheus/text_serializer.h>
#include <zlib.h>

#include <algorithm>

#include "hw_exporter/exposition/gzip.h"
#include "hw_exporter/exposition/openmetrics_format.h"
#include "hw_exporter/exposition/text_format.h"
#include "node_tree.h"

namespace hw_exporter::bench {
namespace {

// The families of a full node body, built once; empty without the shared tree.
const Families& NodeFamilies() {
  static const Families families = [] {
    ProcessRunner process_runner(2);
    return MergedNodeFamilies(process_runner);
  }();
  return families;
}

size_t SeriesCount(const Families& families) {
  size_t series = 0;
  for (const auto& family : families) series += family.metric.size();
  return series;
}

// Reports time per series: items are series.
void SetSeriesCounters(benchmark::State& state, const Families& families, size_t bytes) {
  auto series = static_cast<int64_t>(SeriesCount(families));
  state.SetItemsProcessed(state.iterations() * series);
  state.counters["series"] = static_cast<double>(series);
  state.counters["body_bytes"] = static_cast<double>(bytes);
}

bool SkipWithoutTree(benchmark::State& state, const Families& families) {
  if (!families.empty()) return false;
  state.SkipWithError("the shared node_exporter tree is absent (set HW_EXPORTER_BENCH_TREE)");
  return true;
}

void BM_SerializeText(benchmark::State& state) {
  const Families& families = NodeFamilies();
  if (SkipWithoutTree(state, families)) return;
  const std::string first = SerializeText(families);
  std::string out;
  for (auto _ : state) {
    out.clear();
    AppendText(out, families);
    benchmark::DoNotOptimize(out.data());
  }
  // The promise is a byte-identical body whenever the data is the same, however it arrives: the same families
  // handed over in reverse order, with every family's series reversed too, must give the very same bytes.
  Families reversed(families.rbegin(), families.rend());
  for (auto& family : reversed) std::reverse(family.metric.begin(), family.metric.end());
  if (out != first || SerializeText(MergeFamilies({reversed})) != first)
    state.SkipWithError("serializer output differs between runs on the same data");
  SetSeriesCounters(state, families, first.size());
}
BENCHMARK(BM_SerializeText);

// OpenMetrics on the same families: within 1.2 × of BM_SerializeText per series is the target.
void BM_SerializeOpenMetrics(benchmark::State& state) {
  const Families& families = NodeFamilies();
  if (SkipWithoutTree(state, families)) return;
  std::string out;
  for (auto _ : state) {
    out.clear();
    AppendOpenMetrics(out, families);
    benchmark::DoNotOptimize(out.data());
  }
  SetSeriesCounters(state, families, out.size());
}
BENCHMARK(BM_SerializeOpenMetrics);

void BM_PrometheusCppTextSerializer(benchmark::State& state) {
  const Families& families = NodeFamilies();
  if (SkipWithoutTree(state, families)) return;
  prometheus::TextSerializer serializer;
  size_t bytes = 0;
  for (auto _ : state) {
    std::string out = serializer.Serialize(families);
    bytes = out.size();
    benchmark::DoNotOptimize(out.data());
  }
  SetSeriesCounters(state, families, bytes);
}
BENCHMARK(BM_PrometheusCppTextSerializer);

void SetGzipCounters(benchmark::State& state, const std::string& body, size_t compressed) {
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(body.size()));
  state.counters["body_bytes"] = static_cast<double>(body.size());
  state.counters["gzip_bytes"] = static_cast<double>(compressed);
}

// arg: the level (the exporter's is 1; 6 is libdeflate's, zlib's and Go's default).
void BM_Gzip(benchmark::State& state) {
  const Families& families = NodeFamilies();
  if (SkipWithoutTree(state, families)) return;
  const std::string body = SerializeText(families);
  size_t compressed = 0;
  for (auto _ : state) {
    std::string out = Gzip(body, static_cast<int>(state.range(0)));
    compressed = out.size();
    benchmark::DoNotOptimize(out.data());
  }
  SetGzipCounters(state, body, compressed);
}
BENCHMARK(BM_Gzip)->ArgName("level")->Arg(1)->Arg(5)->Arg(6);

// arg: zlib's level. The reference BM_Gzip is read against: zlib compressed the exporter's bodies before libdeflate,
// one deflate(Z_FINISH) over the whole body, as here.
void BM_ZlibGzip(benchmark::State& state) {
  const Families& families = NodeFamilies();
  if (SkipWithoutTree(state, families)) return;
  const std::string body = SerializeText(families);
  size_t compressed = 0;
  for (auto _ : state) {
    z_stream stream{};
    if (deflateInit2(&stream, static_cast<int>(state.range(0)), Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
      state.SkipWithError("deflateInit2 failed");
      return;
    }
    std::string out(deflateBound(&stream, body.size()), '\0');
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data()));
    stream.avail_in = static_cast<uInt>(body.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    const int code = deflate(&stream, Z_FINISH);
    compressed = stream.total_out;
    deflateEnd(&stream);
    if (code != Z_STREAM_END) {
      state.SkipWithError("deflate did not finish");
      return;
    }
    benchmark::DoNotOptimize(out.data());
  }
  SetGzipCounters(state, body, compressed);
}
BENCHMARK(BM_ZlibGzip)->ArgName("level")->Arg(1)->Arg(6);

}  // namespace
}  // namespace hw_exporter::bench
