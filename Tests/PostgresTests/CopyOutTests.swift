import Foundation
import Postgres
import Testing

extension IntegrationTests {
    @Suite("COPY TO STDOUT streaming")
    struct CopyOutTests {
        static let rowCount = 200_000
        static let copySQL =
            "COPY (SELECT g, md5(g::text) FROM generate_series(1, 200000) g) TO STDOUT WITH (FORMAT csv)"

        /// Bytes of "g,<32 hex>\n" for g in 1...200000.
        static var expectedBytes: Int {
            (1...rowCount).reduce(0) { $0 + String($1).count + 1 + 32 + 1 }
        }

        @Test func streams200kRowsWithFlatMemory() async throws {
            try await withTestClient(poolSize: 2) { client in
                var warmUp = 0
                for try await chunk in client.copyOut("COPY (SELECT g FROM generate_series(1, 20000) g) TO STDOUT") {
                    warmUp += chunk.count
                }
                #expect(warmUp > 0)

                let baseline = residentBytes()
                var peak = baseline
                var bytes = 0
                var newlines = 0
                var chunks = 0
                var largestChunk = 0
                var tail: [UInt8] = []
                let (_, seconds) = try await measure {
                    for try await chunk in client.copyOut(Self.copySQL) {
                        chunks += 1
                        bytes += chunk.count
                        largestChunk = max(largestChunk, chunk.count)
                        newlines += chunk.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
                        tail = Array(chunk.suffix(64))
                        if chunks % 8 == 0 {
                            peak = max(peak, residentBytes())
                        }
                    }
                }
                peak = max(peak, residentBytes())
                let growth = peak - baseline
                print("COPY 200k rows: \(bytes) bytes in \(chunks) chunks, \(seconds) s, RSS growth \(growth / 1024) KiB")
                #expect(newlines == Self.rowCount)
                #expect(bytes == Self.expectedBytes)
                #expect(bytes > 7_000_000)
                #expect(largestChunk <= 64 * 1024 + 128)
                #expect(chunks > 100)
                #expect(String(decoding: tail, as: UTF8.self).hasSuffix("200000,\(md5Hex200000)\n"))
                #expect(growth < 16 * 1024 * 1024, "RSS grew by \(growth) bytes")
                #expect(try await client.query("SELECT 1").count == 1)
            }
        }

        @Test func abandonedCopyClosesItsConnectionAndThePoolRecovers() async throws {
            try await withTestClient(poolSize: 1) { client in
                var seen = 0
                for try await chunk in client.copyOut(Self.copySQL) {
                    seen += chunk.count
                    if seen > 200_000 { break }
                }
                #expect(seen > 200_000)
                let rows = try await client.query("SELECT 41 + 1 AS answer")
                #expect(try rows[0].decode(Int.self, "answer") == 42)
                var remaining = 1
                for _ in 0..<100 where remaining > 0 {
                    remaining = try await sessionCount(client, like: "COPY (SELECT g, md5%")
                    try await Task.sleep(for: .milliseconds(20))
                }
                #expect(remaining == 0)
                var total = 0
                for try await chunk in client.copyOut(Self.copySQL) {
                    total += chunk.count
                }
                #expect(total == Self.expectedBytes)
            }
        }

        @Test func cancelledConsumerReleasesTheConnection() async throws {
            try await withTestClient(poolSize: 1) { client in
                let consumer = Task {
                    var bytes = 0
                    for try await chunk in client.copyOut(Self.copySQL) {
                        bytes += chunk.count
                        try await Task.sleep(for: .milliseconds(5))
                    }
                    return bytes
                }
                try await Task.sleep(for: .milliseconds(100))
                consumer.cancel()
                let result = await consumer.result
                #expect(throws: CancellationError.self) { try result.get() }
                let rows = try await client.query("SELECT 1 AS one")
                #expect(try rows[0].decode(Int.self, "one") == 1)
            }
        }

        @Test func copyUsesEscapedLiteralsAndReportsErrors() async throws {
            try await withTestClient(poolSize: 1) { client in
                let value = "O'Reilly \\ 你好; DROP TABLE x; --"
                let literal = try await client.escapeLiteral(value)
                var output: [UInt8] = []
                for try await chunk in client.copyOut("COPY (SELECT \(literal) AS v) TO STDOUT") {
                    output += chunk
                }
                #expect(String(decoding: output, as: UTF8.self) == value.replacingOccurrences(of: "\\", with: "\\\\") + "\n")

                let failing = await caught {
                    for try await _ in client.copyOut("COPY (SELECT 1 / (g - 3) FROM generate_series(1, 5) g) TO STDOUT") {}
                }
                #expect((failing as? PostgresError).map { if case .query("22012", _) = $0 { true } else { false } } == true)

                let notCopy = await caught {
                    for try await _ in client.copyOut("SELECT 1") {}
                }
                #expect((notCopy as? PostgresError).map { if case .client = $0 { true } else { false } } == true)

                let syntax = await caught {
                    for try await _ in client.copyOut("COPY (SELEC 1) TO STDOUT") {}
                }
                #expect((syntax as? PostgresError).map { if case .query("42601", _) = $0 { true } else { false } } == true)

                let rows = try await client.query("SELECT 1 AS one")
                #expect(try rows[0].decode(Int.self, "one") == 1)
            }
        }

        @Test func plainQueryRefusesCopy() async throws {
            try await withTestClient(poolSize: 1) { client in
                let error = await caught { try await client.query(Self.copySQL) }
                #expect((error as? PostgresError).map { if case .client = $0 { true } else { false } } == true)
                let rows = try await client.query("SELECT 2 AS two")
                #expect(try rows[0].decode(Int.self, "two") == 2)
            }
        }
    }
}

/// md5('200000'), the last row's hash.
private let md5Hex200000 = "03e6c61603f6c550ab49ab6a2d83f793"
