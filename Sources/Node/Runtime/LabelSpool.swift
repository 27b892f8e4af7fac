import Foundation
import Learner
import Proto
import Storage

/// Labeled samples and class announcements persisted before they are acknowledged, so a crash
/// loses none. An append-only log `labels.spool` of records `[length u32][crc32 u32][LabelEvent]`
/// (little-endian), fsync'd per append. On open the valid records are replayed and a torn tail
/// (a crash mid-append) is cut off. After a class is learned, `compact` rewrites the log without it.
/// Owned by the I/O thread.
public final class LabelSpool {
  /// One labeled sample and the record it came from.
  public struct Item {
    /// Position of its record in the log (increasing, survives compaction).
    public var index: UInt64
    /// The sample, `label` = class id.
    public var sample: SpikeSample
  }

  /// The log file, or nil for an in-memory spool (no persistence).
  public let path: String?
  private var fd: Int32 = -1
  private var nextIndex: UInt64 = 0
  /// The log's events with their serialized bytes (what the log holds, what a repeat is compared with).
  private var records: [(index: UInt64, event: R4ncl_V1_LabelEvent, payload: [UInt8])] = []
  /// Classes announced and still in the log.
  public private(set) var announced = ClassMap()
  /// Spooled samples per class id.
  public private(set) var samples: [Int: [Item]] = [:]
  /// Per announced class, the spooled sample count at which every sample its latest
  /// announcement promised (`expected_samples`) has arrived; absent when it promised none.
  public private(set) var awaitedSamples: [Int: Int] = [:]
  /// Bytes cut from a torn tail when the log was opened (0 after a clean shutdown).
  public private(set) var recoveredTornBytes = 0
  /// Bytes of the log's records (also counted for an in-memory spool): what `spool.max_bytes` bounds.
  public private(set) var byteCount = 0
  /// The log index of each event in it, by a hash of its bytes (`eventKey`): an event received
  /// again is not spooled twice.
  private var eventIndices: [Int: [UInt64]] = [:]
  /// Log index of each class's latest announcement.
  private var lastAnnouncement: [Int: UInt64] = [:]

  /// Opens (or creates) the spool in `directory`; nil keeps it in memory.
  public init(directory: String?) throws {
    guard let directory, !directory.isEmpty else {
      path = nil
      return
    }
    let path = (directory as NSString).appendingPathComponent("labels.spool")
    self.path = path
    do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
      throw NodeError.spool(path: directory, reason: "cannot create directory: \(error.localizedDescription)")
    }
    let bytes = [UInt8](FileManager.default.contents(atPath: path) ?? Data())
    var offset = 0
    while offset + 8 <= bytes.count {
      let length = Int(LittleEndian.word(bytes, offset))
      let crc = LittleEndian.word(bytes, offset + 4)
      guard offset + 8 + length <= bytes.count else { break }
      let payload = Array(bytes[(offset + 8)..<(offset + 8 + length)])
      guard CRC32.checksum(payload) == crc, let event = try? R4ncl_V1_LabelEvent(serializedBytes: payload) else { break }
      apply(event, payload: payload)
      offset += 8 + length
    }
    byteCount = offset
    fd = open(path, O_WRONLY | O_CREAT, 0o644)
    guard fd >= 0 else { throw NodeError.spool(path: path, reason: String(cString: strerror(errno))) }
    if offset < bytes.count {
      recoveredTornBytes = bytes.count - offset
      guard ftruncate(fd, off_t(offset)) == 0 else { throw NodeError.spool(path: path, reason: "cannot cut torn tail") }
    }
    lseek(fd, 0, SEEK_END)
  }

  deinit { if fd >= 0 { close(fd) } }

  /// Persists `event` (an announcement, or samples of one class) and then records it.
  /// Returns only after fsync: the caller may acknowledge it.
  public func append(_ event: R4ncl_V1_LabelEvent) throws {
    try append(event, serialized: try event.serializedBytes())
  }

  /// `append(_:)` of an event whose bytes the caller has already (`payload` = its serialization).
  public func append(_ event: R4ncl_V1_LabelEvent, serialized payload: [UInt8]) throws {
    if let path {
      try writeAll(Self.record(payload), path: path)
      guard fsync(fd) == 0 else { throw NodeError.spool(path: path, reason: "fsync: \(String(cString: strerror(errno)))") }
    }
    byteCount += Self.recordBytes(serializedCount: payload.count)
    apply(event, payload: payload)
  }

  /// One log record: `[length u32][crc32 u32][payload]`.
  private static func record(_ payload: [UInt8]) -> [UInt8] {
    LittleEndian.bytes(UInt32(payload.count)) + LittleEndian.bytes(CRC32.checksum(payload)) + payload
  }

  /// Bytes `event` adds to the log.
  public static func recordBytes(_ event: R4ncl_V1_LabelEvent) -> Int {
    recordBytes(serializedCount: (try? event.serializedBytes() as [UInt8])?.count ?? 0)
  }

  /// Bytes an event of `serializedCount` bytes adds to the log (its record header included).
  public static func recordBytes(serializedCount: Int) -> Int { 8 + serializedCount }

  /// True when the log holds this very event (same teacher, sequence and contents) and no
  /// announcement of its class came after it: a teacher that sends an event again (a resend, a
  /// replayed bag) must not double its samples' weight in the next learning run, nor restart the
  /// wait for an announcement's samples. A teacher that restarts its sequence numbers with other
  /// samples sends other events; samples after a new announcement belong to a new lesson.
  public func contains(_ event: R4ncl_V1_LabelEvent) -> Bool {
    guard let bytes = try? event.serializedBytes() as [UInt8] else { return false }
    return contains(event, serialized: bytes)
  }

  /// `contains(_:)` of an event whose bytes the caller has already.
  public func contains(_ event: R4ncl_V1_LabelEvent, serialized bytes: [UInt8]) -> Bool {
    for index in eventIndices[Self.eventKey(bytes)] ?? [] {
      guard payload(at: index) == bytes else { continue }
      if case .samples(let batch)? = event.event, let announced = lastAnnouncement[Int(batch.classID)], announced > index {
        return false
      }
      return true
    }
    return false
  }

  private static func eventKey(_ bytes: [UInt8]) -> Int {
    var hasher = Hasher()
    hasher.combine(bytes)
    return hasher.finalize()
  }

  /// The bytes of the event at log index `index` (records are in index order).
  private func payload(at index: UInt64) -> [UInt8]? {
    var low = 0, high = records.count
    while low < high {
      let middle = (low + high) / 2
      if records[middle].index < index { low = middle + 1 } else { high = middle }
    }
    return low < records.count && records[low].index == index ? records[low].payload : nil
  }

  private func indexEvents() {
    eventIndices = [:]
    lastAnnouncement = [:]
    for record in records { indexEvent(record.event, payload: record.payload, at: record.index) }
  }

  private func indexEvent(_ event: R4ncl_V1_LabelEvent, payload: [UInt8], at index: UInt64) {
    eventIndices[Self.eventKey(payload), default: []].append(index)
    if case .announce(let announce)? = event.event { lastAnnouncement[Int(announce.classID)] = index }
  }

  private func writeAll(_ bytes: [UInt8], path: String) throws {
    var written = 0
    while written < bytes.count {
      let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, bytes.count - written) }
      if n < 0 && errno == EINTR { continue }
      guard n > 0 else { throw NodeError.spool(path: path, reason: String(cString: strerror(errno))) }
      written += n
    }
  }

  private func apply(_ event: R4ncl_V1_LabelEvent, payload: [UInt8]) {
    let index = nextIndex
    nextIndex += 1
    switch event.event {
    case .announce(let announce):
      let id = Int(announce.classID)
      announced.set(id, name: announce.name)
      awaitedSamples[id] = announce.expectedSamples > 0 ? (samples[id]?.count ?? 0) + Int(announce.expectedSamples) : nil
    case .samples(let batch):
      let id = Int(batch.classID)
      for wire in batch.samples {
        var sample = SpikeSample(wire)
        sample.label = id
        samples[id, default: []].append(Item(index: index, sample: sample))
      }
    default:
      return
    }
    records.append((index, event, payload))
    indexEvent(event, payload: payload, at: index)
  }

  /// Number of spooled samples.
  public var sampleCount: Int { samples.values.reduce(0) { $0 + $1.count } }

  /// Spooled samples per class id.
  public var countsPerClass: [Int: Int] { samples.mapValues(\.count) }

  /// The index the next record gets: items below it are in the spool now.
  public var watermark: UInt64 { nextIndex }

  /// Drops the samples of `classes` recorded before `watermark` and their announcements
  /// (they are in the model now), rewriting the log atomically.
  public func compact(classes: Set<Int>, before watermark: UInt64) throws {
    func learned(_ record: (index: UInt64, event: R4ncl_V1_LabelEvent, payload: [UInt8])) -> Bool {
      guard record.index < watermark else { return false }
      switch record.event.event {
      case .announce(let a): return classes.contains(Int(a.classID))
      case .samples(let s): return classes.contains(Int(s.classID))
      default: return false
      }
    }
    records.removeAll(where: learned)
    indexEvents()
    for id in classes {
      let before = samples[id]?.count ?? 0
      samples[id]?.removeAll { $0.index < watermark }
      if samples[id]?.isEmpty == true { samples[id] = nil }
      if !records.contains(where: { if case .announce(let a)? = $0.event.event { return Int(a.classID) == id } else { return false } }) {
        announced.remove(id)
        awaitedSamples[id] = nil
      } else if let awaited = awaitedSamples[id] {
        // A later announcement counted the removed samples (all recorded before it) too.
        awaitedSamples[id] = max(0, awaited - (before - (samples[id]?.count ?? 0)))
      }
    }
    let bytes = records.flatMap { Self.record($0.payload) }
    byteCount = bytes.count
    guard let path else { return }
    do {
      try AtomicFile.write(to: URL(fileURLWithPath: path)) { try Data(bytes).write(to: $0) }
    } catch {
      throw NodeError.spool(path: path, reason: "cannot rewrite: \(error)")
    }
    close(fd)
    fd = open(path, O_WRONLY | O_APPEND)
    guard fd >= 0 else { throw NodeError.spool(path: path, reason: String(cString: strerror(errno))) }
  }
}
