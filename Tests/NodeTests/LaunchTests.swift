import Foundation
import XCTest

@testable import Node

final class LaunchTests: XCTestCase {
  func testParsingAndErrors() throws {
    let file = try LaunchFile(yaml: """
      processes:
        - name: node
          command: r4ncl
          args: [node, --param, "namespace=$(namespace)"]
          namespace: drone1
          required: true
        - command: r4ncl
          args: [play, data.h5]
          respawn: true
          respawn_delay: 2
      """, source: "x.yaml")
    XCTAssertEqual(file.processes.count, 2)
    XCTAssertEqual(file.processes[0].namespace, "drone1")
    XCTAssertTrue(file.processes[0].required)
    XCTAssertEqual(file.processes[1].name, "r4ncl-1")
    XCTAssertEqual(file.processes[1].respawnDelay, 2)
    XCTAssertThrowsError(try LaunchFile(yaml: "processes: []", source: "x.yaml"))
    XCTAssertThrowsError(try LaunchFile(yaml: "processes:\n  - args: [a]", source: "x.yaml")) { error in
      XCTAssertTrue("\(error)".contains("'command' is required"), "\(error)")
    }
    XCTAssertThrowsError(try LaunchFile(yaml: "processes:\n  - command: a\n    bogus: 1", source: "x.yaml")) { error in
      XCTAssertTrue("\(error)".contains("unknown key 'bogus'"), "\(error)")
    }
    // A delay that never ends (.inf) used to end the launch at once, silently, with status 0.
    for bad in [".inf", ".nan", "-1", "1e300", "soon"] {
      for key in ["delay", "respawn_delay"] {
        XCTAssertThrowsError(try LaunchFile(yaml: "processes:\n  - command: a\n    \(key): \(bad)", source: "x.yaml")) { error in
          XCTAssertTrue("\(error)".contains("'\(key)' must be seconds from 0 to 1000000"), "\(error)")
        }
      }
    }
  }

  /// A required process that fails stops the others (a long sleeper is interrupted), the
  /// launch returns its status, and every line is prefixed with its process name.
  func testRequiredFailureStopsAllAndLogsArePrefixed() throws {
    let file = try LaunchFile(yaml: """
      processes:
        - name: talker
          command: /bin/sh
          args: [-c, "echo hello $R4NCL_NAMESPACE; echo ns=$(namespace)"]
          namespace: ns1
        - name: sleeper
          command: sleep
          args: ["30"]
        - name: failer
          command: /bin/sh
          args: [-c, "echo failing; exit 3"]
          required: true
          delay: 0.2
      """, source: "x.yaml")
    let lines = Protected([String]())
    let launcher = Launcher(file: file, selfExecutable: "/bin/false", colour: false, grace: 5) { line in
      lines.withLock { $0.append(line) }
    }
    let start = Date()
    XCTAssertEqual(try launcher.run(), 3)
    XCTAssertLessThan(Date().timeIntervalSince(start), 10, "the sleeper was stopped, not waited for")
    let log = lines.current
    XCTAssertTrue(log.contains("[talker] hello ns1"), "\(log)")
    XCTAssertTrue(log.contains("[talker] ns=ns1"), "\(log)")
    XCTAssertTrue(log.contains("[failer] failing"), "\(log)")
    XCTAssertTrue(log.contains { $0.hasPrefix("[sleeper] killed by signal") }, "\(log)")
  }

  func testRespawnRestartsAProcessUntilTheLaunchStops() throws {
    let marker = NSTemporaryDirectory() + "r4ncl-respawn-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: marker) }
    let file = try LaunchFile(yaml: """
      processes:
        - name: flaky
          command: /bin/sh
          args: [-c, "echo run >> \(marker); echo ran"]
          respawn: true
          respawn_delay: 0.1
        - name: main
          command: /bin/sh
          args: [-c, "while [ $(wc -l < \(marker) 2>/dev/null || echo 0) -lt 3 ]; do sleep 0.05; done; echo done"]
          required: true
      """, source: "x.yaml")
    let lines = Protected([String]())
    let launcher = Launcher(file: file, selfExecutable: "/bin/false", colour: false) { line in lines.withLock { $0.append(line) } }
    XCTAssertEqual(try launcher.run(), 0)
    XCTAssertGreaterThanOrEqual(lines.current.filter { $0 == "[flaky] respawning" }.count, 2, "\(lines.current)")
    XCTAssertTrue(lines.current.contains("[main] done"))
  }
}
