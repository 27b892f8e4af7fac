import Foundation

/// Bags as HDF5 files h5py can open (`r4ncl bag record` writes them, `bag play` and `bag info`
/// read them). Layout: attribute `format` = "r4ncl-bag"; `topics` and `types` (strings, one per
/// distinct topic, types as protobuf full names); `messages/topic` (int32 index into `topics`),
/// `messages/time_ns` (int64, Unix epoch ns) and `messages/payload` (ragged uint8, the bytes as
/// received), one entry per message in arrival order.
public enum BagFile {
  public static let format = "r4ncl-bag"

  /// Writes `bag` atomically: the file at `url` is replaced only once the new one is complete.
  public static func write(_ bag: Bag, to url: URL) throws {
    let topics = bag.topics
    let index = Dictionary(uniqueKeysWithValues: topics.enumerated().map { ($0.element, Int32($0.offset)) })
    do {
      try AtomicFile.write(to: url) { temporary in
        try HDF5Library.serialized {
          let file = try HDF5File.create(temporary)
          try file.setAttribute("format", .string(format))
          try file.setAttribute("version", .int(1))
          _ = try file.writeVariableStrings("topics", topics)
          _ = try file.writeVariableStrings("types", topics.map { bag.types[$0] ?? "" })
          _ = try file.createGroup("messages")
          _ = try file.write("messages/topic", bag.messages.map { index[$0.topic]! })
          _ = try file.write("messages/time_ns", bag.messages.map(\.timeNs))
          _ = try file.writeRagged("messages/payload", bag.messages.map(\.payload))
          try file.close()
        }
      }
    } catch let error as HDF5Error {
      throw BagFileError.writeFailed(file: url.path, detail: error.description)
    } catch let error as AtomicFileError {
      throw BagFileError.writeFailed(file: url.path, detail: error.description)
    }
  }

  /// Reads a bag; a file that is not one, or whose columns disagree, is an error naming it.
  public static func read(_ url: URL) throws -> Bag {
    let name = url.path
    return try HDF5Library.serialized {
      let file = try HDF5File.open(url)
      defer { try? file.close() }
      let found = try file.attribute("format")?.stringValue
      guard found == format else { throw BagFileError.notABag(file: name, format: found) }
      let columns = ["topics", "types", "messages/topic", "messages/time_ns", "messages/payload"]
      for path in columns where !file.isDataset(path) {
        throw BagFileError.malformed(file: name, problem: "dataset '\(path)' is missing")
      }
      // Every column's length is checked before any is read: a declared length costs a
      // file nothing, reading it costs memory.
      var lengths: [String: Int] = [:]
      for path in columns {
        let shape = try file.openDataset(path).shape
        guard shape.count == 1 else { throw BagFileError.malformed(file: name, problem: "dataset '\(path)' has shape \(shape), expected 1-D") }
        lengths[path] = shape[0]
      }
      let count = lengths["messages/topic"]!
      guard lengths["messages/time_ns"] == count, lengths["messages/payload"] == count else {
        throw BagFileError.malformed(
          file: name,
          problem: "messages disagree in length: topic \(count), time_ns \(lengths["messages/time_ns"]!), payload \(lengths["messages/payload"]!)")
      }
      guard lengths["types"] == lengths["topics"] else {
        throw BagFileError.malformed(file: name, problem: "\(lengths["topics"]!) topics but \(lengths["types"]!) types")
      }
      let topics = try file.openDataset("topics").readStrings()
      let types = try file.openDataset("types").readStrings()
      let topicIndex = try file.openDataset("messages/topic").read(Int32.self)
      let times = try file.openDataset("messages/time_ns").read(Int64.self)
      let payloads = try file.openDataset("messages/payload").readRagged(UInt8.self)
      var seen = Set<String>()
      if let twice = topics.first(where: { !seen.insert($0).inserted }) {
        throw BagFileError.malformed(file: name, problem: "topic '\(twice.prefix(80))' is listed twice")
      }
      var messages: [BagMessage] = []
      messages.reserveCapacity(topicIndex.count)
      for (i, t) in topicIndex.enumerated() {
        guard topics.indices.contains(Int(t)) else {
          throw BagFileError.malformed(file: name, problem: "message \(i) names topic \(t) of \(topics.count)")
        }
        messages.append(BagMessage(topic: topics[Int(t)], timeNs: times[i], payload: payloads[i]))
      }
      return Bag(messages: messages, types: Dictionary(uniqueKeysWithValues: zip(topics, types)))
    }
  }
}

/// Why a bag file could not be read or written.
public enum BagFileError: Error, Equatable, CustomStringConvertible {
  /// The file's `format` attribute is not "r4ncl-bag" (nil: absent).
  case notABag(file: String, format: String?)
  /// The file is a bag whose datasets are missing or inconsistent.
  case malformed(file: String, problem: String)
  /// Writing failed (HDF5 or file-system detail).
  case writeFailed(file: String, detail: String)

  public var description: String {
    switch self {
    case .notABag(let file, let format):
      return "\(file): not an r4ncl bag (format attribute \(format.map { "'\($0)'" } ?? "absent"); `r4ncl bag record` writes bags)"
    case .malformed(let file, let problem): return "\(file): malformed bag: \(problem)"
    case .writeFailed(let file, let detail): return "\(file): cannot write the bag: \(detail)"
    }
  }
}
