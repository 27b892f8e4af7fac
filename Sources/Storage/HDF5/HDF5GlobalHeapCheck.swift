import CHDF5
import Foundation

// Checks a variable-length dataset's heap references on disk before libhdf5 reads them.
//
// Why: a vlen element on disk is a descriptor {length, global heap ID}; its values live in a
// global heap collection ("GCOL"). libhdf5 1.10 parses a collection without bounds checks
// (H5HG__cache_heap_deserialize walks object headers by their size fields) and H5HG_read
// copies the heap object's stored size into a buffer sized from the descriptor's length. A
// corrupted collection or descriptor therefore makes H5Dread read or write outside its buffers
// (a SIGSEGV in H5HG_read under H5T__conv_vlen) instead of failing. This file reads the
// descriptors and the collections they reference straight from the file and refuses the
// dataset, naming it, unless every reference is one libhdf5 can follow safely.
//
// Layouts checked: contiguous only (what h5py and this project's writers make). Chunked and
// compact vlen datasets keep their descriptors in chunks or in the object header, which this
// check does not decode: they are read as before. Attributes holding variable-length strings
// are not checked either (no API gives their descriptors' file address).
//
// Disk formats (HDF5 File Format Specification, "Global Heap" and "Variable-length" datatype):
// - descriptor: 4-byte little-endian sequence length, collection address (sizeof_addr bytes,
//   relative to the base address), 4-byte object index. Address 0 is a null row, never read
//   from the heap.
// - collection: "GCOL", version 1, 3 reserved, collection size (sizeof_size bytes, header
//   included); header padded to a multiple of 8. Then objects: 2-byte index, 2-byte reference
//   count, 4 reserved, object size (sizeof_size), header padded to 8; data padded to 8. Index 0
//   is free space whose size includes its header; a tail too short for an object header is
//   free space too.

/// Why a vlen dataset's on-disk references are unsafe to read (becomes
/// `HDF5Error.corruptVariableLength`).
struct VlenCorruption: Error, Equatable {
  let detail: String
}

/// The on-disk check of one vlen dataset: its descriptors and the collections they reference.
struct GlobalHeapCheck {
  /// Bytes of a stored address and a stored length (`H5Pget_sizes`).
  let addressBytes: Int
  let lengthBytes: Int
  /// The base address stored addresses are relative to (the user block size).
  let base: UInt64
  /// Bytes in the file.
  let fileSize: UInt64
  /// Reads `count` bytes at absolute file offset `offset` into `buffer`; false when it cannot.
  let read: (_ buffer: UnsafeMutableRawBufferPointer, _ offset: UInt64) -> Bool

  /// Each collection's object sizes by index (`absent` where no object), parsed once.
  private var collections: [UInt64: [UInt64]] = [:]
  private static let absent = UInt64.max

  init(
    addressBytes: Int, lengthBytes: Int, base: UInt64, fileSize: UInt64,
    read: @escaping (UnsafeMutableRawBufferPointer, UInt64) -> Bool
  ) {
    self.addressBytes = addressBytes
    self.lengthBytes = lengthBytes
    self.base = base
    self.fileSize = fileSize
    self.read = read
  }

  /// Bytes of one descriptor on disk.
  var descriptorBytes: Int { 4 + addressBytes + 4 }

  /// Header bytes of a collection and of an object (both padded to 8).
  private var headerBytes: UInt64 { UInt64(Self.align8(8 + lengthBytes)) }

  /// Checks the `count` descriptors stored at absolute offset `offset`, each pointing to
  /// `length` values of `baseBytes` bytes.
  mutating func check(descriptorsAt offset: UInt64, count: Int, baseBytes: Int) throws(VlenCorruption) {
    let total = UInt64(count).multipliedReportingOverflow(by: UInt64(descriptorBytes))
    let end = offset.addingReportingOverflow(total.partialValue)
    guard !total.overflow, !end.overflow, end.partialValue <= fileSize else {
      throw VlenCorruption(
        detail: "its \(count) row descriptors at offset \(offset) extend past the end of the file (\(fileSize) bytes)")
    }
    // Descriptors are read in blocks so a large dataset costs a bounded buffer.
    let perBlock = max(1, (1 << 20) / descriptorBytes)
    var buffer = [UInt8](repeating: 0, count: min(count, perBlock) * descriptorBytes)
    var row = 0
    while row < count {
      let rows = min(perBlock, count - row)
      let bytes = rows * descriptorBytes
      let blockOffset = offset + UInt64(row * descriptorBytes)
      let ok = buffer.withUnsafeMutableBytes { read(UnsafeMutableRawBufferPointer(rebasing: $0[0..<bytes]), blockOffset) }
      guard ok else { throw VlenCorruption(detail: "its row descriptors at offset \(offset) cannot be read") }
      for k in 0..<rows {
        let at = k * descriptorBytes
        let length = Self.decode(buffer, at, 4)
        let (address, addressFits) = Self.decodeAddress(buffer, at + 4, addressBytes)
        let index = Self.decode(buffer, at + 4 + addressBytes, 4)
        try checkRow(
          row + k, length: length, address: address, addressFits: addressFits, index: index, baseBytes: baseBytes)
      }
      row += rows
    }
  }

  private mutating func checkRow(
    _ row: Int, length: UInt64, address: UInt64, addressFits: Bool, index: UInt64, baseBytes: Int
  ) throws(VlenCorruption) {
    if addressFits && address == 0 {
      // A null row: libhdf5 reads nothing for it, whatever the length says; it writes length 0.
      guard length == 0 else {
        throw VlenCorruption(detail: "row \(row) has no heap object but says it holds \(length) values")
      }
      return
    }
    let absolute = base.addingReportingOverflow(address)
    guard addressFits, !absolute.overflow, absolute.partialValue < fileSize else {
      throw VlenCorruption(
        detail: "row \(row) points to a heap collection at address \(address), past the end of the file (\(fileSize) bytes)")
    }
    let sizes = try collection(at: absolute.partialValue, address: address, row: row)
    guard index > 0, index < UInt64(sizes.count), sizes[Int(index)] != Self.absent else {
      throw VlenCorruption(
        detail: "row \(row) points to heap object \(index), which the collection at address \(address) does not hold")
    }
    let size = sizes[Int(index)]
    let expected = length.multipliedReportingOverflow(by: UInt64(baseBytes))
    guard !expected.overflow, expected.partialValue == size else {
      throw VlenCorruption(
        detail: "row \(row) points to heap object \(index) of \(size) bytes, "
          + "the row says \(length) values of \(baseBytes) byte\(baseBytes == 1 ? "" : "s") each")
    }
  }

  /// The object sizes of the collection at absolute offset `offset` (stored `address`).
  private mutating func collection(at offset: UInt64, address: UInt64, row: Int) throws(VlenCorruption) -> [UInt64] {
    if let known = collections[offset] { return known }
    let sizes = try parseCollection(at: offset, address: address, row: row)
    collections[offset] = sizes
    return sizes
  }

  private func parseCollection(at offset: UInt64, address: UInt64, row: Int) throws(VlenCorruption) -> [UInt64] {
    let name = "the heap collection at address \(address) (row \(row))"
    let header = Int(headerBytes)
    guard fileSize - offset >= UInt64(header) else {
      throw VlenCorruption(detail: "\(name) extends past the end of the file (\(fileSize) bytes)")
    }
    var head = [UInt8](repeating: 0, count: header)
    guard head.withUnsafeMutableBytes({ read($0, offset) }) else {
      throw VlenCorruption(detail: "\(name) cannot be read")
    }
    guard head[0] == 0x47, head[1] == 0x43, head[2] == 0x4F, head[3] == 0x4C else {
      throw VlenCorruption(detail: "\(name) does not start with the GCOL signature")
    }
    guard head[4] == 1 else { throw VlenCorruption(detail: "\(name) has version \(head[4]), expected 1") }
    let (size, sizeFits) = Self.decodeAddress(head, 8, lengthBytes)
    guard sizeFits, size >= UInt64(header), size <= fileSize - offset else {
      throw VlenCorruption(
        detail: "\(name) declares \(sizeFits ? "\(size)" : "an impossible number of") bytes, "
          + "more than the file holds or less than its header")
    }
    var bytes = [UInt8](repeating: 0, count: Int(size))
    guard bytes.withUnsafeMutableBytes({ read($0, offset) }) else {
      throw VlenCorruption(detail: "\(name) cannot be read")
    }
    let objectHeader = header
    var sizes: [UInt64] = []
    var p = header
    let end = Int(size)
    while p < end {
      if end - p < objectHeader { break }  // a tail too short for an object: free space
      let index = Int(Self.decode(bytes, p, 2))
      let (objectSize, objectSizeFits) = Self.decodeAddress(bytes, p + 8, lengthBytes)
      let room = UInt64(end - p)
      let need: UInt64
      if index > 0 {
        // Data padded to 8 after the header; the whole must fit the collection.
        guard objectSizeFits, objectSize <= room - UInt64(objectHeader),
          UInt64(objectHeader) + UInt64(Self.align8(Int(objectSize))) <= room
        else {
          throw VlenCorruption(
            detail: "\(name): object \(index) at byte \(p) does not fit the collection (\(size) bytes)")
        }
        need = UInt64(objectHeader) + UInt64(Self.align8(Int(objectSize)))
      } else {
        // Free space: its size includes its header (libhdf5 would loop for ever on a smaller one).
        guard objectSizeFits, objectSize >= UInt64(objectHeader), objectSize <= room else {
          throw VlenCorruption(
            detail: "\(name): its free space at byte \(p) does not fit the collection (\(size) bytes)")
        }
        need = objectSize
      }
      if index >= sizes.count { sizes.append(contentsOf: repeatElement(Self.absent, count: index + 1 - sizes.count)) }
      guard sizes[index] == Self.absent else {
        throw VlenCorruption(detail: "\(name) holds object \(index) twice")
      }
      sizes[index] = index > 0 ? objectSize : 0
      p += Int(need)
    }
    return sizes
  }

  private static func align8(_ n: Int) -> Int { (n + 7) & ~7 }

  /// The little-endian unsigned integer of `count` (at most 8) bytes at `at`.
  private static func decode(_ bytes: [UInt8], _ at: Int, _ count: Int) -> UInt64 {
    var value: UInt64 = 0
    for i in stride(from: count - 1, through: 0, by: -1) { value = value << 8 | UInt64(bytes[at + i]) }
    return value
  }

  /// A stored address or length of `count` bytes; false when it does not fit 64 bits (a byte
  /// beyond the eighth is set) or is "undefined" (all bits set).
  private static func decodeAddress(_ bytes: [UInt8], _ at: Int, _ count: Int) -> (UInt64, Bool) {
    let low = decode(bytes, at, min(count, 8))
    var fits = true
    if count > 8 { for i in 8..<count where bytes[at + i] != 0 { fits = false } }
    if count >= 8 && low == UInt64.max { fits = false }
    return (low, fits)
  }
}

extension HDF5Dataset {
  /// Checks, before H5Dread, that every row of this vlen dataset (or variable-length string
  /// dataset) points to a heap object libhdf5 can read safely, values of `baseBytes` bytes
  /// each on disk; `corruptVariableLength` names the first row or collection that does not.
  /// Datasets with another layout than contiguous, or not allocated, are not checked.
  func checkVlenHeapReferences(count: Int, baseBytes: Int) throws {
    guard count > 0 else { return }
    var offset: UInt64 = 0
    let contiguous = h5_contiguous_data_offset(id, &offset)
    if contiguous < 0 { throw failure("H5Dget_offset") }
    if contiguous == 0 { return }
    var access = h5_file_access_t()
    guard h5_file_access(id, &access) >= 0 else { throw failure("H5Fget_vfd_handle") }
    // Another driver than sec2 (never used by this project's opens) has no descriptor to read.
    guard access.fd >= 0 else { return }
    // Objects written through this handle may still sit in libhdf5's caches.
    if access.writable != 0 { try check(H5Fflush(id, H5F_SCOPE_LOCAL), "H5Fflush") }
    var info = stat()
    guard fstat(access.fd, &info) == 0 else {
      throw HDF5Error.callFailed(file: fileName, path: path, operation: "fstat", reason: String(cString: strerror(errno)))
    }
    let fd = access.fd
    var heapCheck = GlobalHeapCheck(
      addressBytes: Int(access.sizeof_addr), lengthBytes: Int(access.sizeof_size), base: access.base,
      fileSize: UInt64(max(0, info.st_size))
    ) { buffer, at in
      var done = 0
      while done < buffer.count {
        let n = pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t(at) + off_t(done))
        if n <= 0 { return false }
        done += n
      }
      return true
    }
    do {
      try heapCheck.check(descriptorsAt: offset, count: count, baseBytes: baseBytes)
    } catch {
      throw HDF5Error.corruptVariableLength(file: fileName, path: path, detail: error.detail)
    }
  }
}
