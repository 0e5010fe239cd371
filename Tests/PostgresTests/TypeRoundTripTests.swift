import Foundation
import Postgres
import Testing

@testable import Postgres

extension IntegrationTests {
    @Suite("Type round trips")
    struct TypeRoundTripTests {
        @Test func roundTripsEveryType() async throws {
            try await withTestClient { client in
                let uuid = UUID()
                let date = Date(timeIntervalSince1970: 1_700_000_000.123456)
                let allBytes = (0...255).map { UInt8($0) }
                let text = "客服 Kefu — 你好，世界 👋🏽🇨🇳 \"quotes\" 'single' \\ back\\slash"
                let json = #"{"a": [1, "二", null], "b": {"c": true}}"#
                let rows = try await client.query(
                    """
                    SELECT $1::int8 AS big, $2::int4 AS small, $3::text AS text, $4::bool AS flag,
                           $5::float8 AS real, $6::timestamptz AS at, $7::uuid AS id, $8::bytea AS bytes,
                           $9::jsonb AS doc, $10::int2 AS tiny, $11::int8 AS plain, $12::bytea AS empty
                    """,
                    [Int64.max, Int32.min, text, true, 3.141592653589793, date, uuid, allBytes, json,
                     Int16.min, Int.min, [UInt8]()])
                let row = try #require(rows.first)
                #expect(try row.decode(Int64.self, "big") == Int64.max)
                #expect(try row.decode(Int32.self, "small") == Int32.min)
                #expect(try row.decode(String.self, "text") == text)
                #expect(try row.decode(Bool.self, "flag") == true)
                #expect(try row.decode(Double.self, "real") == 3.141592653589793)
                let decodedDate = try row.decode(Date.self, "at")
                #expect(TimestampFormat.microseconds(of: decodedDate) == TimestampFormat.microseconds(of: date))
                #expect(try row.decode(UUID.self, "id") == uuid)
                #expect(try row.decode([UInt8].self, "bytes") == allBytes)
                #expect(try row.decode(Data.self, "bytes") == Data(allBytes))
                #expect(try row.decode(String.self, "doc") == json)
                #expect(try row.decode(Int16.self, "tiny") == Int16.min)
                #expect(try row.decode(Int.self, "plain") == Int.min)
                #expect(try row.decode([UInt8].self, at: 11) == [])
            }
        }

        @Test func decodesNullsAsNilAndRejectsThemForNonOptionals() async throws {
            try await withTestClient { client in
                let rows = try await client.query(
                    "SELECT $1::int AS i, $2::text AS t, $3::bytea AS b, $4::timestamptz AS d, NULL::uuid AS u, NULL::jsonb AS j",
                    [Int?.none, String?.none, [UInt8]?.none, PostgresValue.null])
                let row = try #require(rows.first)
                #expect(try row.decode(Int?.self, "i") == nil)
                #expect(try row.decode(String?.self, "t") == nil)
                #expect(try row.decode([UInt8]?.self, "b") == nil)
                #expect(try row.decode(Date?.self, "d") == nil)
                #expect(try row.decode(UUID?.self, "u") == nil)
                #expect(try row.decode(String?.self, "j") == nil)
                #expect(row.isNull(at: 0))
                #expect(throws: PostgresError.decoding(column: "i", reason: "unexpected NULL for non-optional Int")) {
                    try row.decode(Int.self, "i")
                }
                #expect(throws: PostgresError.self) { try row.decode(Int.self, "missing") }
                #expect(throws: PostgresError.self) { try row.decode(Int.self, at: 9) }
                let present = try await client.query("SELECT $1::int AS i", [Int?.some(7)])
                #expect(try present[0].decode(Int?.self, "i") == 7)
            }
        }

        @Test func integerRangesAndOverflow() async throws {
            try await withTestClient { client in
                let rows = try await client.query(
                    "SELECT $1::int8 AS a, $2::int8 AS b, $3::int4 AS c, $4::int4 AS d, 2147483648::int8 AS too_big",
                    [Int.max, Int.min, Int32.max, Int32.min])
                let row = rows[0]
                #expect(try row.decode(Int.self, "a") == Int.max)
                #expect(try row.decode(Int.self, "b") == Int.min)
                #expect(try row.decode(Int32.self, "c") == Int32.max)
                #expect(try row.decode(Int32.self, "d") == Int32.min)
                #expect(try row.decode(Int64.self, "too_big") == 2_147_483_648)
                #expect(throws: PostgresError.self) { try row.decode(Int32.self, "too_big") }
                #expect(throws: PostgresError.self) { try row.decode(Bool.self, "a") }
            }
        }

        @Test func doublesIncludingSpecialValues() async throws {
            try await withTestClient { client in
                let values: [Double] = [
                    0, -0.0, 0.1, -1.5e-300, Double.leastNonzeroMagnitude, Double.greatestFiniteMagnitude, .infinity, -.infinity,
                    1.0 / 3.0,
                ]
                for value in values {
                    let rows = try await client.query("SELECT $1::float8 AS v", [value])
                    let decoded = try rows[0].decode(Double.self, "v")
                    #expect(decoded == value && decoded.sign == value.sign, "\(value)")
                }
                let nan = try await client.query("SELECT $1::float8 AS v", [Double.nan])
                #expect(try nan[0].decode(Double.self, "v").isNaN)
            }
        }

        @Test func timestampsWithMicrosecondsAndOffsets() async throws {
            try await withTestClient { client in
                let dates = [
                    Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: -1.000001),
                    Date(timeIntervalSince1970: 1_719_792_000.000001), Date(timeIntervalSince1970: 1_000_000_000.999999),
                ]
                for date in dates {
                    let rows = try await client.query("SELECT $1::timestamptz AS at, ($1::timestamptz)::text AS raw", [date])
                    let back = try rows[0].decode(Date.self, "at")
                    let raw = try rows[0].decode(String.self, "raw")
                    #expect(TimestampFormat.microseconds(of: back) == TimestampFormat.microseconds(of: date), "\(raw)")
                }
                let rows = try await client.query(
                    "SELECT '2024-02-29 23:59:59.999999+08'::timestamptz AS at, 'infinity'::timestamptz AS inf, '2024-01-01 12:00:00'::timestamp AS naive")
                #expect(TimestampFormat.microseconds(of: try rows[0].decode(Date.self, "at")) == 1_709_222_399_999_999)
                #expect(try rows[0].decode(Date.self, "inf") == .distantFuture)
                #expect(try rows[0].decode(Date.self, "naive").timeIntervalSince1970 == 1_704_110_400)
            }
        }

        @Test func affectedRowsAndMultipleRows() async throws {
            try await withTestClient { client in
                try await client.execute("CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL)")
                let inserted = try await client.execute(
                    "INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, $1::int) g", [25])
                #expect(inserted == 25)
                let updated = try await client.execute("UPDATE items SET name = $1 WHERE id <= $2", ["x", 10])
                #expect(updated == 10)
                let rows = try await client.query("SELECT id, name FROM items ORDER BY id")
                #expect(rows.count == 25)
                #expect(try rows.map { try $0.decode(Int.self, at: 0) } == Array(1...25))
                let sqlHash = try await client.query("SELECT encode(sha256(convert_to($1, 'UTF8')), 'hex') AS h", ["你好 migration"])
                #expect(try sqlHash[0].decode(String.self, "h") == Migration(version: 1, name: "x", sql: "你好 migration").checksum)
            }
        }

        @Test func rejectsNULInParameters() async throws {
            try await withTestClient { client in
                let error = await caught { try await client.query("SELECT $1::text", ["a\u{0}b"]) }
                #expect(error as? PostgresError == .invalidParameter(index: 1, reason: "text contains a NUL character"))
                let after = try await client.query("SELECT 1")
                #expect(after.count == 1)
            }
        }
    }
}
