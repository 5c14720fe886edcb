// Feeds arbitrary method, URL, headers, body, session token, time and options to the SigV4
// canonicaliser and signer. Beyond "no crash, no sanitizer report", it checks the promises of
// sigv4.h: a failed sign() leaves the request unchanged, a signed request canonicalises to what
// was signed, and no error message carries the secret.
//
// Input layout (FuzzedDataProvider): from the end, four option flag bytes, eight bytes of clock
// ticks and a header count byte; from the front, backslash-terminated strings for method, URL,
// each header's name and value and the session token, then the body.
#include <fuzzer/FuzzedDataProvider.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "aws/sigv4.h"

namespace {

constexpr char kSecret[] = "fuzz/SECRET+key/9Xq";

void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using costwatch::aws::SigV4Options;
  using costwatch::aws::SigV4Signer;
  FuzzedDataProvider input(data, size);

  SigV4Options options;
  options.normalize_path = input.ConsumeBool();
  options.double_encode_path = input.ConsumeBool();
  options.sign_session_token = input.ConsumeBool();
  options.add_content_sha256_header = input.ConsumeBool();
  // Any tick count, the ends of system_clock's range included.
  const auto ticks = input.ConsumeIntegral<std::chrono::system_clock::rep>();
  const auto header_count = input.ConsumeIntegralInRange<std::size_t>(0, 8);

  costwatch::http::Request request;
  request.method = input.ConsumeRandomLengthString(16);
  request.url = input.ConsumeRandomLengthString(512);
  for (std::size_t i = 0; i < header_count; ++i) {
    std::string name = input.ConsumeRandomLengthString(64);
    request.headers.push_back({std::move(name), input.ConsumeRandomLengthString(256)});
  }
  costwatch::aws::Credentials credentials;
  credentials.access_key_id = "AKIDFUZZ";
  credentials.secret_access_key = kSecret;
  credentials.session_token = input.ConsumeRandomLengthString(64);
  request.body = input.ConsumeRemainingBytesAsString();

  const SigV4Signer signer({"us-east-1", "service"}, options);
  const auto canonical = signer.canonical_request(request);
  if (!canonical.ok()) Check(canonical.error().message.find(kSecret) == std::string::npos);

  costwatch::http::Request signed_request = request;
  const auto now =
      std::chrono::system_clock::time_point(std::chrono::system_clock::duration(ticks));
  const auto result = signer.sign(signed_request, credentials, now);
  if (!result.ok()) {
    Check(result.error().message.find(kSecret) == std::string::npos);
    Check(signed_request.headers.size() == request.headers.size());
    for (std::size_t i = 0; i < request.headers.size(); ++i) {
      Check(signed_request.headers[i].name == request.headers[i].name);
      Check(signed_request.headers[i].value == request.headers[i].value);
    }
    return 0;
  }
  Check(signed_request.header("Authorization").has_value());
  const auto resigned = signer.canonical_request(signed_request);
  Check(resigned.ok());
  const auto amz_date = signed_request.header("X-Amz-Date");
  Check(amz_date.has_value() && amz_date->size() == 16);
  (void)signer.string_to_sign(*resigned, *amz_date);
  return 0;
}
