#include "notify/email/libcurl.h"

#include <dlfcn.h>

#include <string>

namespace costwatch::notify {
namespace {

template <typename Function>
bool Find(void* library, const char* name, Function& out) {
  // POSIX guarantees a function pointer round-trips through dlsym's void*.
  out = reinterpret_cast<Function>(dlsym(library, name));  // NOLINT(*-reinterpret-cast)
  return out != nullptr;
}

}  // namespace

Result<LibCurl> OpenLibCurl(const char* soname) {
  // RTLD_LOCAL: its symbols stay out of the way of everything else in the process.
  void* library = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) {
    const char* reason = dlerror();
    return Fail("cannot load " + std::string(soname) + " for SMTP (" +
                (reason != nullptr ? std::string(reason) : "unknown reason") +
                "); install Debian's libcurl4");
  }
  LibCurl curl;
  const bool found = Find(library, "curl_global_init", curl.global_init) &&
                     Find(library, "curl_easy_init", curl.easy_init) &&
                     Find(library, "curl_easy_setopt", curl.easy_setopt) &&
                     Find(library, "curl_easy_perform", curl.easy_perform) &&
                     Find(library, "curl_easy_getinfo", curl.easy_getinfo) &&
                     Find(library, "curl_easy_strerror", curl.easy_strerror) &&
                     Find(library, "curl_easy_cleanup", curl.easy_cleanup) &&
                     Find(library, "curl_slist_append", curl.slist_append) &&
                     Find(library, "curl_slist_free_all", curl.slist_free_all);
  if (!found) {
    dlclose(library);
    return Fail(std::string(soname) + " is not a libcurl this costwatch can use");
  }
  return curl;  // the library stays open: the functions must outlive this call
}

Result<const LibCurl*> SystemLibCurl() {
  static const Result<LibCurl> loaded = [] {
    auto curl = OpenLibCurl("libcurl.so.4");
    if (curl && curl->global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      return Result<LibCurl>(Fail("libcurl.so.4 failed to initialise"));
    }
    return curl;
  }();
  if (!loaded) return loaded.error();
  return &*loaded;
}

}  // namespace costwatch::notify
