import Learner
import XCTest

@testable import Storage

final class HDF5RoundTripTests: XCTestCase {
  func testNumericDatasetsStringsAndAttributesRoundTrip() throws {
    let url = try makeTemporaryDirectory(self).appendingPathComponent("a.h5")
    let matrix = Matrix(rows: 2, cols: 3, values: [1, 2, 3, 4, 5, 6.5])
    do {
      let file = try HDF5File.create(url)
      try file.write("floats", [Float(1.5), -2, 3])
      try file.write("group/sub/doubles", [1.25, 2.5], shape: [2, 1])
      try file.write("ints", [Int(-5), 7, Int(Int32.max) + 1])
      try file.write("u16", [UInt16(0), 699, 65535])
      try file.write("u8", [UInt8(0), 255])
      try file.write("W", matrix: matrix)
      try file.writeStrings("keys", ["zero", "fünf", ""])
      try file.writeVariableStrings("names", ["a", "bcd"])
      try file.setAttribute("s", .string("hello"))
      try file.setAttribute("i", .int(42))
      try file.setAttribute("d", .double(0.5))
      try file.setAttribute("ss", .strings(["x", "yz"]))
      try file.setAttribute("ii", .ints([1, 2, 3]))
      try file.setAttribute("dd", .doubles([]))
      try file.setAttribute("i", .int(43))  // replaces
      try file.openDataset("W").setAttribute("unit", .string("volts"))
      try file.close()
    }
    let file = try HDF5File.open(url)
    XCTAssertEqual(try file.openDataset("floats").read(Float.self), [1.5, -2, 3])
    let doubles = try file.openDataset("group/sub/doubles")
    XCTAssertEqual(doubles.shape, [2, 1])
    XCTAssertEqual(try doubles.read(Double.self), [1.25, 2.5])
    XCTAssertEqual(try file.openDataset("ints").read(Int.self), [-5, 7, Int(Int32.max) + 1])
    XCTAssertEqual(try file.openDataset("u16").read(UInt16.self), [0, 699, 65535])
    XCTAssertEqual(try file.openDataset("u16").read(Int.self), [0, 699, 65535])
    XCTAssertEqual(try file.openDataset("u8").read(UInt8.self), [0, 255])
    XCTAssertEqual(try file.openDataset("W").readMatrix(), matrix)
    XCTAssertEqual(try file.openDataset("keys").readStrings(), ["zero", "fünf", ""])
    XCTAssertEqual(try file.openDataset("names").readStrings(), ["a", "bcd"])
    XCTAssertEqual(try file.openDataset("u16").readArray(), .uint16([0, 699, 65535]))
    XCTAssertEqual(try file.openDataset("keys").readArray(), .strings(["zero", "fünf", ""]))
    XCTAssertEqual(
      try file.attributes(),
      ["s": .string("hello"), "i": .int(43), "d": .double(0.5), "ss": .strings(["x", "yz"]),
       "ii": .ints([1, 2, 3]), "dd": .doubles([])])
    XCTAssertEqual(try file.openDataset("W").attribute("unit"), .string("volts"))
    XCTAssertNil(try file.attribute("nope"))
    XCTAssertEqual(try file.childNames(), ["W", "floats", "group", "ints", "keys", "names", "u16", "u8"])
    XCTAssertTrue(file.isGroup("group/sub"))
    XCTAssertTrue(file.isDataset("group/sub/doubles"))
    XCTAssertFalse(file.contains("group/missing/x"))
  }

  func testRaggedRowsRoundTripIncludingEmptyRows() throws {
    let url = try makeTemporaryDirectory(self).appendingPathComponent("r.h5")
    let units: [[UInt16]] = [[1, 2, 3], [], [699]]
    let times: [[Float]] = [[0.001, 0.5, 1.25], [], [0.33325]]
    do {
      let file = try HDF5File.create(url)
      try file.writeRagged("units", units)
      try file.writeRaggedFloat16("times", times)
      try file.writeRagged("wide", [[1.5, 2.5], [-1.0]])
      try file.close()
    }
    let file = try HDF5File.open(url)
    XCTAssertEqual(try file.openDataset("units").readRagged(UInt16.self), units)
    XCTAssertEqual(try file.openDataset("units").readRagged(Int.self), units.map { $0.map(Int.init) })
    XCTAssertEqual(try file.openDataset("times").typeInfo, .vlen(base: .float(bytes: 2)))
    XCTAssertEqual(
      try file.openDataset("times").readRaggedFloats(), times.map { $0.map(Float16Bits.round) })
    XCTAssertEqual(try file.openDataset("wide").readRaggedFloats(), [[1.5, 2.5], [-1.0]])
  }

  func testErrorsNameTheFileAndObject() throws {
    let dir = try makeTemporaryDirectory(self)
    let url = dir.appendingPathComponent("e.h5")
    do {
      let file = try HDF5File.create(url)
      try file.write("labels", [Float(1)])
      try file.createGroup("g")
      try file.close()
    }
    let file = try HDF5File.open(url)
    XCTAssertThrowsError(try file.openDataset("missing")) {
      XCTAssertEqual($0 as? HDF5Error, .missingObject(file: url.path, path: "/missing"))
    }
    XCTAssertThrowsError(try file.openDataset("g")) {
      XCTAssertEqual($0 as? HDF5Error, .wrongObjectKind(file: url.path, path: "/g", expected: "dataset"))
    }
    XCTAssertThrowsError(try file.openDataset("labels").read(UInt16.self)) {
      XCTAssertEqual(
        $0 as? HDF5Error,
        .wrongType(file: url.path, path: "/labels", expected: "an integer type", found: "float32"))
    }
    XCTAssertThrowsError(try file.openDataset("labels").readRagged(UInt16.self)) {
      XCTAssertEqual(
        $0 as? HDF5Error,
        .wrongType(file: url.path, path: "/labels", expected: "vlen<integer>", found: "float32"))
    }
    XCTAssertThrowsError(try HDF5File.open(dir.appendingPathComponent("nothing.h5"))) {
      XCTAssertEqual($0 as? HDF5Error, .fileNotFound(file: dir.appendingPathComponent("nothing.h5").path))
    }
    XCTAssertThrowsError(try HDF5File.create(dir.appendingPathComponent("no/such/dir.h5"))) {
      guard case .createFailed = $0 as? HDF5Error else { return XCTFail("\($0)") }
    }
  }
}
