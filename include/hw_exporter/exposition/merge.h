#pragma once

#include <span>
#include <vector>

#include "hw_exporter/core/family_set.h"

namespace hw_exporter {

// Combines the families of several collectors into one valid exposition with a deterministic order:
// - families of the same name become one; the first HELP and TYPE win, and the samples of a later family
//   with another TYPE are dropped, since one name cannot carry two types;
// - families are sorted by name, the labels of each series by label name, and the series of each family by
//   their label sets; a series that repeats a label set already seen in its family is dropped (the first wins);
// - what a scraper would reject is dropped too: invalid metric names, series with an invalid or repeated label
//   name or with the label the type reserves (le for histograms, quantile for summaries), empty families.
// It is NormalizeFamilies of each part, then MergeNormalized, copied out.
Families MergeFamilies(std::vector<Families> parts);

// The same rules applied to one part alone, except that a family whose every series was dropped is kept, empty:
// it still claims its name (its HELP and TYPE win) against the parts merged after it. Normalizing a part once and
// merging it into many expositions saves redoing this work per exposition.
Families NormalizeFamilies(Families part);

// One family of a merged exposition, pointing into the parts it was merged from: the family whose HELP and TYPE
// won the name, and the series of every family of that name and type, in exposition order.
struct MergedFamily {
  const prometheus::MetricFamily* family;
  std::vector<const prometheus::ClientMetric*> series;
};
using MergedFamilies = std::vector<MergedFamily>;

// Merges parts that NormalizeFamilies returned, by the rules of MergeFamilies, without copying a family or a
// series: the result points into the parts, which must outlive it.
MergedFamilies MergeNormalized(std::span<const Families* const> parts);

}  // namespace hw_exporter
