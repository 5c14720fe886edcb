#include "util/byte_buffer.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstdlib>
#include <new>
#include <utility>

namespace costwatch {
namespace {

// From this size on, buffers are mapped directly so they can use huge pages and grow with
// mremap, which moves page tables instead of copying bytes.
constexpr size_t kMapThreshold = size_t{4} << 20;
constexpr size_t kHugePage = size_t{2} << 20;

size_t RoundUp(size_t n, size_t unit) {
  return (n + unit - 1) / unit * unit;
}

}  // namespace

ByteBuffer::~ByteBuffer() {
  release();
}

ByteBuffer::ByteBuffer(ByteBuffer&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      capacity_(std::exchange(other.capacity_, 0)),
      mapped_(std::exchange(other.mapped_, false)) {}

ByteBuffer& ByteBuffer::operator=(ByteBuffer&& other) noexcept {
  if (this != &other) {
    release();
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
    capacity_ = std::exchange(other.capacity_, 0);
    mapped_ = std::exchange(other.mapped_, false);
  }
  return *this;
}

void ByteBuffer::release() {
  if (data_ == nullptr) return;
  if (mapped_) {
    ::munmap(data_, capacity_);
  } else {
    std::free(data_);
  }
  data_ = nullptr;
  size_ = capacity_ = 0;
  mapped_ = false;
}

void ByteBuffer::grow(size_t needed) {
  const size_t wanted = std::max({needed, capacity_ + capacity_ / 2, size_t{256}});
  if (wanted < kMapThreshold) {
    void* bigger = std::realloc(data_, wanted);
    if (bigger == nullptr) throw std::bad_alloc();
    data_ = static_cast<char*>(bigger);
    capacity_ = wanted;
    return;
  }
  const size_t capacity = RoundUp(wanted, kHugePage);
  void* mapping = nullptr;
  if (mapped_) {
    mapping = ::mremap(data_, capacity_, capacity, MREMAP_MAYMOVE);
  } else {
    mapping = ::mmap(nullptr, capacity, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  }
  if (mapping == MAP_FAILED) throw std::bad_alloc();
  ::madvise(mapping, capacity, MADV_HUGEPAGE);  // advice only: fine if refused
  if (!mapped_ && data_ != nullptr) {
    std::memcpy(mapping, data_, size_);
    std::free(data_);
  }
  data_ = static_cast<char*>(mapping);
  capacity_ = capacity;
  mapped_ = true;
}

}  // namespace costwatch
