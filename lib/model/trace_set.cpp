#include <tracefold/model/trace_set.hpp>

namespace tracefold {

std::size_t trace_set::bytes_held() const noexcept {
  std::size_t adopted = 0;
  for (const detail::arena& a : adopted_) adopted += a.bytes_reserved();
  return arena_.bytes_reserved() + adopted + spans_.capacity() * sizeof(span) +
         nodes_.capacity() * sizeof(detail::tree_node) +
         headers_.capacity() * sizeof(detail::trace_header) +
         resources_.capacity() * sizeof(const resource*) +
         scopes_.capacity() * sizeof(const scope*);
}

}  // namespace tracefold
