import Foundation
import Testing

@testable import Postgres

@Suite("Codecs without a server")
struct CodecTests {
    @Test func sha256MatchesKnownVectors() {
        #expect(SHA256.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abc".utf8) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(
            SHA256.hex([UInt8](repeating: UInt8(ascii: "a"), count: 1_000))
                == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    @Test func uuidTextMatchesFoundation() {
        for _ in 0..<5_000 {
            let uuid = UUID()
            #expect(Hex.text(of: uuid) == uuid.uuidString.lowercased())
            #expect(UUID(postgresText: Hex.text(of: uuid)) == uuid)
            #expect(UUID(postgresText: uuid.uuidString) == uuid)
            #expect(uuid.postgresValue == .text(uuid.uuidString.lowercased()))
        }
        for bad in ["", "3f2c8a4e-6b1d-4c8e-9a7f-2d5e8b1c4a9", "3f2c8a4e-6b1d-4c8e-9a7f-2d5e8b1c4a9g", "3f2c8a4e06b1d-4c8e-9a7f-2d5e8b1c4a90"] {
            #expect(UUID(postgresText: bad) == nil)
        }
    }

    @Test func timestampsEncodeAsISO8601WithMicroseconds() {
        let date = Date(timeIntervalSince1970: 1_700_000_000.123456)
        #expect(TimestampFormat.encode(date) == "2023-11-14T22:13:20.123456Z")
        #expect(TimestampFormat.encode(Date(timeIntervalSince1970: -0.5)) == "1969-12-31T23:59:59.500000Z")
        #expect(TimestampFormat.encode(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000000Z")
    }

    @Test func timestampsDecodeServerOutput() throws {
        let parsed = try #require(TimestampFormat.decode("2024-02-29 23:59:59.999999+08"))
        #expect(TimestampFormat.microseconds(of: parsed) == 1_709_222_399_999_999)
        let noFraction = try #require(TimestampFormat.decode("1970-01-01 00:00:00+00"))
        #expect(noFraction.timeIntervalSince1970 == 0)
        let withMinutes = try #require(TimestampFormat.decode("1970-01-01 05:30:00+05:30"))
        #expect(withMinutes.timeIntervalSince1970 == 0)
        let naive = try #require(TimestampFormat.decode("1970-01-01 00:00:01.5"))
        #expect(naive.timeIntervalSince1970 == 1.5)
        #expect(TimestampFormat.decode("infinity") == .distantFuture)
        #expect(TimestampFormat.decode("not a date") == nil)
        #expect(TimestampFormat.decode("2024-13-01 00:00:00+00") == nil)
    }

    @Test func timestampsRoundTripAcrossEras() throws {
        for micros: Int64 in [0, 1, -1, 1_700_000_000_123_456, -62_135_596_800_000_000, 253_402_300_799_000_000, 4_102_444_799_999_999] {
            let date = TimestampFormat.date(microseconds: micros)
            let text = TimestampFormat.encode(date)
            let back = try #require(TimestampFormat.decode(text.replacingOccurrences(of: "T", with: " ")))
            #expect(TimestampFormat.microseconds(of: back) == micros, "\(text)")
        }
    }

    @Test func byteaHexDecoding() {
        #expect(Hex.decodeBytea("\\x") == [])
        #expect(Hex.decodeBytea("\\x00ff10") == [0, 255, 16])
        #expect(Hex.decodeBytea("\\x0") == nil)
        #expect(Hex.decodeBytea("00ff") == nil)
    }

    @Test func encodesParameters() {
        #expect(Optional<Int>.none.postgresValue == .null)
        #expect(true.postgresValue == .text("t"))
        #expect(Double.infinity.postgresValue == .text("Infinity"))
        #expect(Double.nan.postgresValue == .text("NaN"))
        #expect([UInt8]([1, 2]).postgresValue == .bytea([1, 2]))
        #expect(Data([3]).postgresValue == .bytea([3]))
    }

    @Test func redactsValuesFromDataExceptions() {
        let error = PostgresError.fromServer(
            sqlState: "22P02", message: "invalid input syntax for type integer: \"s3cret\"", constraint: nil)
        #expect(error == .query(sqlState: "22P02", message: "invalid input syntax for type integer"))
        #expect(PostgresError.fromServer(sqlState: "57P01", message: "x", constraint: nil) == .connectionLost)
        #expect(PostgresError.fromServer(sqlState: "08006", message: "x", constraint: nil) == .connectionLost)
        #expect(PostgresError.fromServer(sqlState: "40P01", message: "x", constraint: nil) == .deadlock)
    }
}
