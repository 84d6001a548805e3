#pragma once
/// @file
/// `trace_id`: the 16-byte id shared by every span of a trace.

#include <tracefold/model/basic_id.hpp>

namespace tracefold {

/// A 16-byte W3C/OTLP trace id; all-zero means absent. See `basic_id` for parse and format.
using trace_id = basic_id<16>;

}  // namespace tracefold
