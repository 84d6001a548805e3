#pragma once
/// @file
/// The umbrella header: every public entity of tracefold.
///
/// Layers, lowest first (each includes only those below it): model/ (ids, values, spans,
/// trees, storage), fold/ (the fold algebra), folds/ (standard folds), ingest/ (readers).

#include <tracefold/model/any_value.hpp>
#include <tracefold/model/basic_id.hpp>
#include <tracefold/model/diagnostic.hpp>
#include <tracefold/model/event.hpp>
#include <tracefold/model/key_value.hpp>
#include <tracefold/model/link.hpp>
#include <tracefold/model/resource.hpp>
#include <tracefold/model/scope.hpp>
#include <tracefold/model/span.hpp>
#include <tracefold/model/span_id.hpp>
#include <tracefold/model/span_kind.hpp>
#include <tracefold/model/span_ref.hpp>
#include <tracefold/model/status.hpp>
#include <tracefold/model/trace.hpp>
#include <tracefold/model/trace_id.hpp>
#include <tracefold/model/trace_set.hpp>
#include <tracefold/model/trace_set_builder.hpp>
#include <tracefold/fold/annotated.hpp>
#include <tracefold/fold/cata.hpp>
#include <tracefold/fold/descend.hpp>
#include <tracefold/fold/each_node.hpp>
#include <tracefold/fold/each_span.hpp>
#include <tracefold/fold/fold_over.hpp>
#include <tracefold/fold/group_by.hpp>
#include <tracefold/fold/map_result.hpp>
#include <tracefold/fold/mergeable_fold.hpp>
#include <tracefold/fold/prefilter.hpp>
#include <tracefold/fold/premap.hpp>
#include <tracefold/fold/product.hpp>
#include <tracefold/fold/run.hpp>
#include <tracefold/fold/run_parallel.hpp>
#include <tracefold/fold/top_down_algebra.hpp>
#include <tracefold/fold/tree_algebra.hpp>
#include <tracefold/folds/count.hpp>
#include <tracefold/folds/duration.hpp>
#include <tracefold/folds/first.hpp>
#include <tracefold/folds/last.hpp>
#include <tracefold/folds/max.hpp>
#include <tracefold/folds/mean.hpp>
#include <tracefold/folds/min.hpp>
#include <tracefold/folds/name.hpp>
#include <tracefold/folds/service_and_name.hpp>
#include <tracefold/folds/service_name.hpp>
#include <tracefold/folds/sum.hpp>
#include <tracefold/folds/to_vector.hpp>
#include <tracefold/ingest/read_options.hpp>
#include <tracefold/ingest/read_otlp_json.hpp>
#include <tracefold/ingest/read_result.hpp>
#include <tracefold/ingest/read_stats.hpp>
