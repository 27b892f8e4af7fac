import ArgumentParser
import Foundation
import Learner
import Node
import Proto
import Storage

/// `r4ncl label`: the teacher. Announces a class and publishes labeled samples of it from an
/// SHD-format file, optionally followed by a learn-now request; with `--confirm` it checks over
/// the node's control socket that the node took every sample (and with `--wait-learned` that
/// it learned the class).
struct LabelCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "label", abstract: "Announce a new class and publish labeled samples of it from a file.")

  @Argument(help: "SHD-format HDF5 file with samples of the class.")
  var file: String

  @Option(name: .long, help: "Class (label in the file) whose samples to send.")
  var `class`: Int

  @Option(name: .long, help: "Class id to announce (default: the label in the file).")
  var id: Int?

  @Option(name: .long, help: "Class name (default: the file's class name).")
  var name: String?

  @Option(name: .long, help: "Endpoint(s): the node's label SUB or a proxy front end.")
  var connect: [String] = ["tcp://127.0.0.1:5556"]

  @Option(name: .long, help: "Topic namespace (default: $R4NCL_NAMESPACE or r4ncl).")
  var namespace: String?

  @Option(name: .long, help: "Samples to send (0 = all of the class).")
  var count = 20

  @Option(name: .long, help: "Samples per LabelEvent.")
  var batch = 5

  @Option(name: .long, help: "Seconds to wait before sending (e.g. to introduce the class mid-stream).")
  var delay: Seconds = 0

  @Flag(name: .long, help: "Send a learn-now request after the samples.")
  var learnNow = false

  @Option(name: .long, help: "Seconds to wait for a subscriber before publishing anyway.")
  var waitSubscriber: Seconds = 5

  @Option(name: .long, help: "Teacher name in the events (default: r4ncl-label-<host>-<pid>).")
  var teacher: String?

  @Flag(name: .long, help: "Ask the node's control socket whether it took every sample; exit 1 if not.")
  var confirm = false

  @Flag(name: .long, help: "After --confirm, wait until the node serves a model newer than at the start that knows the class.")
  var waitLearned = false

  @Option(name: .long, help: "The node's control endpoint (its endpoints.control), for --confirm.")
  var control = "tcp://127.0.0.1:5558"

  @Option(name: .long, help: "Seconds --confirm and --wait-learned wait for the node.")
  var timeout: Seconds = 60

  func validate() throws {
    guard batch > 0, count >= 0 else { throw ValidationError("--batch must be > 0 and --count >= 0") }
    for (name, value) in [("--class", self.class), ("--id", id ?? 0)] where !SHDFile.labelRange.contains(value) {
      throw ValidationError("\(name) must be in 0...65535 (SHD labels are 16-bit), got \(value)")
    }
    guard timeout > 0, timeout <= 86_400 else { throw ValidationError("--timeout must be in (0, 86400] seconds") }
    if waitLearned && !confirm { throw ValidationError("--wait-learned needs --confirm (it reads the node's control socket)") }
    if let teacher, teacher.isEmpty || teacher.utf8.count > 256 {
      throw ValidationError("--teacher must have 1 to 256 bytes (a node refuses longer names: limits.max_name_bytes)")
    }
  }

  func run() throws {
    let dataset = try SHDFile.read(URL(fileURLWithPath: file))
    var samples = dataset.filtered(classes: [self.class]).samples
    guard !samples.isEmpty else { throw CommandFailure("\(file) has no samples of class \(self.class)") }
    if count > 0 { samples = Array(samples.prefix(count)) }
    let classID = id ?? self.class
    let className = name ?? (self.class < dataset.classNames.count ? dataset.classNames[self.class] : "class\(classID)")
    let topics = Topics(namespace: namespace ?? ProcessInfo.processInfo.environment["R4NCL_NAMESPACE"] ?? "r4ncl")
    let teacherName = teacher ?? "r4ncl-label-\(Self.hostName())-\(getpid())"
    let publisher = try ToolPublisher(endpoints: connect)
    Clock.sleep(seconds: delay.value)
    let confirmation = confirm ? try LabelConfirmation(endpoint: control, teacher: teacherName, timeout: timeout.value) : nil
    if try !publisher.waitForSubscriber(of: topics.labels, timeout: waitSubscriber.value) {
      FileHandle.standardError.write(Data("label: no subscriber for \(topics.labels), publishing anyway\n".utf8))
    }
    var sequence: UInt64 = 0
    func send(_ configure: (inout R4ncl_V1_LabelEvent) -> Void) throws {
      sequence += 1
      var event = R4ncl_V1_LabelEvent()
      event.teacher = teacherName
      event.sequence = sequence
      configure(&event)
      try publisher.send(topic: topics.labels, payload: try event.serializedBytes())
    }
    try send {
      $0.announce.classID = Int32(classID)
      $0.announce.name = className
      $0.announce.expectedSamples = UInt32(samples.count)
    }
    for start in stride(from: 0, to: samples.count, by: batch) {
      let part = samples[start..<min(start + batch, samples.count)]
      try send {
        $0.samples.classID = Int32(classID)
        $0.samples.samples = part.enumerated().map {
          R4ncl_V1_SpikeSample($0.element, sensor: "teacher", sequence: UInt64(start + $0.offset + 1), channelCount: dataset.channelCount)
        }
      }
    }
    if learnNow { try send { $0.learnNow.classIds = [Int32(classID)] } }
    print("label: announced class \(classID) \"\(className)\" and sent \(samples.count) samples on \(topics.labels)")
    fflush(stdout)
    guard let confirmation else { return }
    print("label: " + (try confirmation.confirm(events: sequence, samples: UInt64(samples.count))))
    if waitLearned { print("label: " + (try confirmation.waitUntilLearned(classID: Int32(classID)))) }
  }

  /// The machine's name from gethostname(2) (Foundation's `hostName` may wait for DNS).
  static func hostName() -> String {
    var buffer = [CChar](repeating: 0, count: 256)
    guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}
