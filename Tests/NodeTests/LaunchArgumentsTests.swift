import XCTest

@testable import Node

/// Launch-file arguments: declared with defaults, overridden as `name:=value`, substituted as
/// `$(arg name)`; `$(env ...)` from the environment; mistakes are errors naming the file.
final class LaunchArgumentsTests: XCTestCase {
  let yaml = """
    arguments:
      data: {default: data/synth, description: "SHD files"}
      rate: 8
    processes:
      - name: player
        command: r4ncl
        args: [play, "$(arg data)/shd_test.h5", --rate, "$(arg rate)", --namespace, "$(namespace)"]
        namespace: "$(env DRONE drone1)"
        env: {HOME_DATA: "$(arg data)"}
    """

  func testDefaultsAreSubstitutedAndTheLaunchersOwnSubstitutionsAreLeftAlone() throws {
    let file = try LaunchFile(yaml: yaml, source: "x.yaml", environment: [:])
    let player = file.processes[0]
    XCTAssertEqual(player.args, ["play", "data/synth/shd_test.h5", "--rate", "8", "--namespace", "$(namespace)"])
    XCTAssertEqual(player.namespace, "drone1")
    XCTAssertEqual(player.environment, ["HOME_DATA": "data/synth"])
    XCTAssertEqual(file.arguments.declarations.map(\.name), ["data", "rate"])
    XCTAssertEqual(file.arguments.declarations[0].description, "SHD files")
  }

  func testCommandLineValuesAndTheEnvironmentOverrideDefaults() throws {
    let overrides = try LaunchArguments.assignments(["data:=/mnt/shd", "rate:=0"])
    let file = try LaunchFile(yaml: yaml, source: "x.yaml", overrides: overrides, environment: ["DRONE": "hawk"])
    XCTAssertEqual(file.processes[0].args, ["play", "/mnt/shd/shd_test.h5", "--rate", "0", "--namespace", "$(namespace)"])
    XCTAssertEqual(file.processes[0].namespace, "hawk")
  }

  func testAnUndeclaredArgumentOnTheCommandLineIsAnErrorListingTheDeclaredOnes() {
    XCTAssertThrowsError(try LaunchFile(yaml: yaml, source: "x.yaml", overrides: ["dta": "/x"], environment: [:])) {
      XCTAssertEqual("\($0)", "x.yaml: no argument 'dta' (declared: data, rate)")
    }
  }

  func testAReferenceToAnUndeclaredArgumentIsAnError() {
    let text = "processes:\n  - name: p\n    command: r4ncl\n    args: [\"$(arg model)\"]"
    XCTAssertThrowsError(try LaunchFile(yaml: text, source: "x.yaml", environment: [:])) {
      XCTAssertEqual("\($0)", "x.yaml: process p args: unknown argument 'model' (declared: none)")
    }
  }

  func testAnArgumentWithoutDefaultMustBeGiven() throws {
    let text = "arguments:\n  model: {description: weights}\nprocesses:\n  - command: r4ncl\n    args: [\"$(arg model)\"]"
    XCTAssertThrowsError(try LaunchFile(yaml: text, source: "x.yaml", environment: [:])) {
      XCTAssertEqual("\($0)", "x.yaml: argument 'model' has no default: give model:=VALUE")
    }
    let given = try LaunchFile(yaml: text, source: "x.yaml", overrides: ["model": "m.h5"], environment: [:])
    XCTAssertEqual(given.processes[0].args, ["m.h5"])
    let empty = "arguments:\n  model: {default: , description: weights}\nprocesses:\n  - command: r4ncl\n    args: [\"$(arg model)\"]"
    XCTAssertThrowsError(try LaunchFile(yaml: empty, source: "x.yaml", environment: [:]), "an empty default is no default") {
      XCTAssertEqual("\($0)", "x.yaml: argument 'model' has no default: give model:=VALUE")
    }
  }

  func testAnUnsetEnvironmentVariableWithoutDefaultIsAnError() {
    let text = "processes:\n  - name: p\n    command: \"$(env R4NCL_TEST_UNSET)\""
    XCTAssertThrowsError(try LaunchFile(yaml: text, source: "x.yaml", environment: [:])) {
      XCTAssertEqual(
        "\($0)", "x.yaml: process p command: environment variable R4NCL_TEST_UNSET is not set and $(env) gives no default")
    }
  }

  func testMalformedAssignmentsAndUnknownTopLevelKeysAreRefused() {
    XCTAssertThrowsError(try LaunchArguments.assignments(["data=/x"])) {
      XCTAssertTrue("\($0)".contains("'data=/x' is not a launch argument: write name:=value"), "\($0)")
    }
    XCTAssertThrowsError(try LaunchFile(yaml: "argumnts: {}\nprocesses:\n  - command: a", source: "x.yaml")) {
      XCTAssertEqual("\($0)", "x.yaml: unknown top-level key 'argumnts' (arguments, include, processes)")
    }
  }

  /// `r4ncl launch FILE --show-args` lists the demo's arguments; a misspelt one fails in one line.
  func testTheCommandShowsTheDemosArgumentsAndRefusesUnknownOnes() throws {
    let r4ncl = try XCTUnwrap(Paths.r4ncl, "build the r4ncl product first")
    let demo = Paths.root + "/launch/demo.yaml"
    let shown = try ChildProcess.run(r4ncl, ["launch", demo, "--show-args", "data:=/mnt/shd"], timeout: 30)
    XCTAssertEqual(shown.status, 0, shown.output)
    XCTAssertTrue(shown.output.contains("data:=/mnt/shd (default data/synth)  # SHD-format data"), shown.output)
    XCTAssertTrue(shown.output.contains("model:=runs/model.h5  # the pretrained model"), shown.output)
    let output = try assertR4nclFails(["launch", demo, "dta:=/x"], saying: "no argument 'dta' (declared: data, model)", usage: false)
    XCTAssertFalse(output.contains("started"), output)
    _ = try assertR4nclFails(["launch", demo, "data=/x"], saying: "'data=/x' is not a launch argument", usage: true)
  }
}

/// `include:` brings in other launch files' processes with their own arguments.
final class LaunchIncludeTests: XCTestCase {
  var directory = ""

  override func setUpWithError() throws { directory = try temporaryDirectory() }
  override func tearDown() { try? FileManager.default.removeItem(atPath: directory) }

  func write(_ name: String, _ text: String) throws -> String {
    let path = directory + "/" + name
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  func testAFileIncludedTwiceGetsItsArgumentsEachTime() throws {
    _ = try write("drone.yaml", """
      arguments:
        drone: {description: "the drone's name"}
        rate: 8
      processes:
        - name: "$(arg drone)-player"
          command: r4ncl
          args: [play, "$(dirname)/test.h5", --rate, "$(arg rate)"]
          namespace: "$(arg drone)"
      """)
    let main = try write("main.yaml", """
      arguments:
        fast: 16
      include:
        - file: $(dirname)/drone.yaml
          args: {drone: alpha}
        - file: $(dirname)/drone.yaml
          args: {drone: beta, rate: "$(arg fast)"}
      processes:
        - name: monitor
          command: r4ncl
          args: [monitor]
      """)
    let file = try LaunchFile(file: main)
    XCTAssertEqual(file.processes.map(\.name), ["alpha-player", "beta-player", "monitor"])
    XCTAssertEqual(file.processes[0].args, ["play", directory + "/test.h5", "--rate", "8"])
    XCTAssertEqual(file.processes[1].args, ["play", directory + "/test.h5", "--rate", "16"])
    XCTAssertEqual(file.processes[1].namespace, "beta")
  }

  func testIncludeMistakesAreErrorsNamingTheFile() throws {
    _ = try write("one.yaml", "processes:\n  - name: same\n    command: r4ncl")
    let twice = try write("twice.yaml", "include:\n  - file: $(dirname)/one.yaml\n  - file: $(dirname)/one.yaml")
    XCTAssertThrowsError(try LaunchFile(file: twice)) {
      XCTAssertEqual("\($0)", "\(twice): duplicate process name 'same' (give included copies their own names)")
    }
    let unknown = try write("unknown.yaml", "include:\n  - file: $(dirname)/one.yaml\n    args: {drone: x}")
    XCTAssertThrowsError(try LaunchFile(file: unknown)) {
      XCTAssertEqual("\($0)", "\(directory)/one.yaml: no argument 'drone' (declared: none)")
    }
    let loop = try write("loop.yaml", "include:\n  - file: $(dirname)/loop.yaml")
    XCTAssertThrowsError(try LaunchFile(file: loop)) {
      XCTAssertTrue("\($0)".contains("includes nest deeper than 8 (does a file include itself?)"), "\($0)")
    }
    let missing = try write("missing.yaml", "include:\n  - file: $(dirname)/nowhere.yaml")
    XCTAssertThrowsError(try LaunchFile(file: missing)) {
      XCTAssertEqual("\($0)", "cannot read launch file \(directory)/nowhere.yaml: no such file or directory")
    }
  }

  /// Ten includes of ten includes ... nine deep would expand to 10^8 processes (hours of
  /// parsing, then as many processes): the launch stops past `maxProcesses`.
  func testIncludesThatMultiplyPastTheProcessBoundAreRefused() throws {
    _ = try write("f8.yaml", "arguments:\n  n: {}\nprocesses:\n  - name: p$(arg n)\n    command: /bin/true")
    for level in (0..<8).reversed() {
      let includes = (0..<10).map { "  - file: $(dirname)/f\(level + 1).yaml\n    args: {n: \"$(arg n)-\($0)\"}" }
      _ = try write("f\(level).yaml", "arguments:\n  n: {default: x}\ninclude:\n" + includes.joined(separator: "\n"))
    }
    let start = Clock.monotonicSeconds()
    XCTAssertThrowsError(try LaunchFile(file: directory + "/f0.yaml")) {
      XCTAssertTrue("\($0)".contains("includes expand to more than 1000 processes"), "\($0)")
    }
    XCTAssertLessThan(Clock.monotonicSeconds() - start, 60)  // a hang guard, not a benchmark
    XCTAssertEqual(try LaunchFile(file: directory + "/f6.yaml").processes.count, 100)
  }
}

