import Foundation
import XCTest

@testable import Storage

/// A fresh temporary directory, removed when the test ends.
func makeTemporaryDirectory(_ test: XCTestCase) throws -> URL {
  let url = FileManager.default.temporaryDirectory
    .appendingPathComponent("StorageTests-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
  return url
}

/// A new HDF5 file `name` in a fresh temporary directory, filled by `build`.
func makeHDF5File(_ test: XCTestCase, _ name: String, _ build: (HDF5File) throws -> Void) throws -> URL {
  let url = try makeTemporaryDirectory(test).appendingPathComponent(name)
  try HDF5Library.serialized {
    let file = try HDF5File.create(url)
    try build(file)
    try file.close()
  }
  return url
}

/// Runs `python3 -c script args...`; returns (exit status, stdout, stderr).
func runPython(_ script: String, _ arguments: [String] = []) throws -> (status: Int32, out: String, err: String) {
  try runPython(arguments: ["-c", script] + arguments)
}

/// Runs the repository's `examples/python/<name>` with `args`; returns (exit status, stdout, stderr).
func runPythonExample(_ name: String, _ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
  let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  return try runPython(arguments: [root.appendingPathComponent("examples/python/\(name)").path] + arguments)
}

private func runPython(arguments: [String]) throws -> (status: Int32, out: String, err: String) {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = ["python3"] + arguments
  let out = Pipe(), err = Pipe()
  process.standardOutput = out
  process.standardError = err
  try process.run()
  let outData = out.fileHandleForReading.readDataToEndOfFile()
  let errData = err.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
}

/// Skips the test unless python3 with h5py and numpy is available.
func requireH5py() throws {
  let result = try? runPython("import h5py, numpy")
  guard let result, result.status == 0 else { throw XCTSkip("python3 with h5py is not available") }
}
