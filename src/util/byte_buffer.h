// A growable output buffer for large generated text (a backfill's events run to hundreds of
// megabytes): it grows without zero-filling, and big buffers live on transparent huge pages,
// which spares the kernel most of the page faults of touching that much fresh memory.
#pragma once

#include <cstddef>
#include <cstring>
#include <string_view>

namespace costwatch {

class ByteBuffer {
 public:
  ByteBuffer() = default;
  ~ByteBuffer();
  ByteBuffer(ByteBuffer&& other) noexcept;
  ByteBuffer& operator=(ByteBuffer&& other) noexcept;
  ByteBuffer(const ByteBuffer&) = delete;
  ByteBuffer& operator=(const ByteBuffer&) = delete;

  void reserve(size_t capacity) {
    if (capacity > capacity_) grow(capacity);
  }
  // Room for `n` more bytes at the returned address; commit() what was written.
  char* prepare(size_t n) {
    if (capacity_ - size_ < n) grow(size_ + n);
    return data_ + size_;
  }
  void commit(size_t n) { size_ += n; }

  void append(std::string_view text) {
    std::memcpy(prepare(text.size()), text.data(), text.size());
    size_ += text.size();
  }
  void push_back(char c) {
    *prepare(1) = c;
    ++size_;
  }
  ByteBuffer& operator+=(std::string_view text) {
    append(text);
    return *this;
  }
  ByteBuffer& operator+=(char c) {
    push_back(c);
    return *this;
  }

  void clear() { size_ = 0; }
  // Drops bytes from the end, back to `size`.
  void truncate(size_t size) {
    if (size < size_) size_ = size;
  }
  [[nodiscard]] size_t size() const { return size_; }
  [[nodiscard]] bool empty() const { return size_ == 0; }
  [[nodiscard]] std::string_view view() const { return {data_, size_}; }

 private:
  void grow(size_t needed);
  void release();

  char* data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
  bool mapped_ = false;  // from mmap (large) rather than malloc (small)
};

}  // namespace costwatch
