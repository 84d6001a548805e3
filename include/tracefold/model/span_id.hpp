#pragma once
/// @file
/// `span_id`: the 8-byte id of a span within its trace.

#include <tracefold/model/basic_id.hpp>

namespace tracefold {

/// An 8-byte W3C/OTLP span id; all-zero means absent (a root's parent id).
using span_id = basic_id<8>;

}  // namespace tracefold
