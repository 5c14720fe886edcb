// Amounts as Cost Explorer sends them: decimal strings, kept as text so no digit is lost.
#pragma once

#include <string_view>

namespace costwatch::ce {

// -?digits[.digits][e[+-]digits]: what Cost Explorer sends. Anything else in an amount means
// the reply is not what we think it is.
bool IsDecimal(std::string_view text);

}  // namespace costwatch::ce
