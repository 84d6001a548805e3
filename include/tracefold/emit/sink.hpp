#pragma once
/// @file
/// `emit::sink`: where a writer's output goes, chunk by chunk.

#include <functional>
#include <string_view>

namespace tracefold::emit {

/// A callable that takes the next chunk of output: a file (`atomic_file`), a string, a socket.
///
/// Writers buffer their output and call the sink with large chunks (about 1 MiB), so the
/// type-erased call costs nothing per span. An empty sink means "keep everything in the
/// result" instead.
using sink = std::function<void(std::string_view chunk)>;

}  // namespace tracefold::emit
