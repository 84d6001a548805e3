#include <string>
#include <tracefold/model/diagnostic.hpp>

namespace tracefold {

std::string to_string(const diagnostic& d) {
  std::string out;
  if (!d.file.empty()) {
    out += d.file;
    if (d.line != 0) {
      out += ':';
      out += std::to_string(d.line);
      if (d.column != 0) {
        out += ':';
        out += std::to_string(d.column);
      }
    }
    out += ": ";
  }
  out += to_string(d.severity);
  out += ": ";
  if (!d.path.empty()) {
    out += d.path;
    out += ": ";
  }
  out += d.message.empty() ? std::string(describe(d.code)) : d.message;
  return out;
}

}  // namespace tracefold
