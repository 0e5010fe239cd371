import Foundation
import Postgres
import Testing

extension IntegrationTests {
    @Suite("Pipeline mode")
    struct PipelineTests {
        @Test func runsManyStatementsInOneRoundTripAndReturnsEveryResult() async throws {
            try await withTestClient { client in
                try await client.execute("CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL)")
                let (results, trips) = try await client.withConnection { connection in
                    let before = connection.roundTrips
                    let results = try connection.pipeline(
                        (1...50).map { PostgresStatement("INSERT INTO items VALUES ($1, $2) RETURNING id * 2", [$0, "名\($0)"]) }
                            + [PostgresStatement("SELECT count(*)::int FROM items")])
                    return (results, connection.roundTrips - before)
                }
                #expect(trips == 1)
                #expect(results.count == 51)
                #expect(try results[9][0].decode(Int.self, at: 0) == 20)
                #expect(try results[50][0].decode(Int.self, at: 0) == 50)
            }
        }

        @Test func queuedWritesRideWithTheNextQueryAndCommit() async throws {
            try await withTestClient(poolSize: 1) { client in
                try await client.execute("CREATE TABLE items (id int PRIMARY KEY)")
                let before = try await client.withConnection { $0.roundTrips }
                let count = try await client.transaction { connection in
                    for id in 1...20 { connection.queue("INSERT INTO items VALUES ($1)", [id]) }
                    let seen = try connection.query("SELECT count(*)::int FROM items")[0].decode(Int.self, at: 0)
                    for id in 21...30 { connection.queue("INSERT INTO items VALUES ($1)", [id]) }
                    return seen
                }
                let after = try await client.withConnection { $0.roundTrips }
                #expect(count == 20)
                #expect(after - before == 2, "BEGIN + 20 inserts + SELECT, then 10 inserts + COMMIT")
                #expect(try await client.query("SELECT count(*)::int FROM items")[0].decode(Int.self, at: 0) == 30)
            }
        }

        @Test func aFailedStatementFailsThePipelineAndTheTransactionKeepsNothing() async throws {
            try await withTestClient(poolSize: 1) { client in
                try await client.execute("CREATE TABLE items (id int PRIMARY KEY)")
                let error = await caught {
                    try await client.transaction { connection in
                        connection.queue("INSERT INTO items VALUES (1)")
                        connection.queue("INSERT INTO items VALUES (1)")
                        connection.queue("INSERT INTO items VALUES (2)")
                    }
                }
                #expect(error as? PostgresError == .uniqueViolation(constraint: "items_pkey"))
                #expect(try await client.query("SELECT count(*)::int FROM items")[0].decode(Int.self, at: 0) == 0)
                #expect(try await client.withConnection { $0.isInTransaction } == false)
                try await client.transaction { connection in connection.queue("INSERT INTO items VALUES (3)") }
                #expect(try await client.query("SELECT id FROM items")[0].decode(Int.self, at: 0) == 3)
            }
        }

        @Test func aRollbackDropsWhatIsStillQueued() async throws {
            try await withTestClient(poolSize: 1) { client in
                try await client.execute("CREATE TABLE items (id int PRIMARY KEY)")
                _ = await caught {
                    try await client.transaction { connection in
                        connection.queue("INSERT INTO items VALUES (1)")
                        throw TestError.boom
                    }
                }
                try await client.withConnection { connection in connection.queue("INSERT INTO items VALUES (2)") }
                let ids = try await client.query("SELECT id FROM items ORDER BY id").map { try $0.decode(Int.self, at: 0) }
                #expect(ids == [2], "a statement queued outside a transaction is sent when the body returns")
            }
        }

        @Test func longPipelinesAreSplitAndStillComplete() async throws {
            try await withTestClient { client in
                try await client.execute("CREATE TABLE items (id int PRIMARY KEY, payload text)")
                let payload = String(repeating: "x", count: 2_000)
                let trips = try await client.transaction { connection in
                    let before = connection.roundTrips
                    for id in 1...2_500 { connection.queue("INSERT INTO items VALUES ($1, $2)", [id, payload]) }
                    try connection.flush()
                    return connection.roundTrips - before
                }
                #expect(trips == 3)
                #expect(try await client.query("SELECT count(*)::int FROM items")[0].decode(Int.self, at: 0) == 2_500)
            }
        }
    }
}

extension IntegrationTests {
    @Suite("Array parameters")
    struct ArrayParameterTests {
        @Test func textArraysRoundTripAnyString() async throws {
            try await withTestClient { client in
                let values: [String?] = ["plain", "with \"quotes\"", "back\\slash", "{braces},comma", "中文 空格", "", "NULL", nil]
                let rows = try await client.query(
                    "SELECT v, v IS NULL FROM unnest($1::text[]) WITH ORDINALITY AS t(v, n) ORDER BY n", [PostgresArray.literal(values)])
                let decoded = try rows.map { try $0.decode(String?.self, at: 0) }
                #expect(decoded == values)
            }
        }
    }
}

extension IntegrationTests {
    @Suite("Lazy savepoints")
    struct LazySavepointTests {
        @Test func aRollbackOfQueuedStatementsSendsNothingAndOpensNoSubtransaction() async throws {
            try await withTestClient(poolSize: 1) { client in
                try await client.execute("CREATE TABLE items (id int PRIMARY KEY)")
                let (trips, ids) = try await client.transaction { connection in
                    let before = connection.roundTrips
                    connection.queue("INSERT INTO items VALUES (1)")
                    let kept = connection.lazySavepoint("event")
                    connection.queue("INSERT INTO items VALUES (2)")
                    connection.release(kept)
                    let dropped = connection.lazySavepoint("event")
                    connection.queue("INSERT INTO items VALUES (3)")
                    connection.rollback(to: dropped)
                    let ids = try connection.query("SELECT id FROM items ORDER BY id").map { try $0.decode(Int.self, at: 0) }
                    return (connection.roundTrips - before, ids)
                }
                #expect(ids == [1, 2])
                #expect(trips == 1)
            }
        }

        @Test func aSavepointWhoseStatementsWereSentRollsBackOnTheServer() async throws {
            try await withTestClient(poolSize: 1) { client in
                try await client.execute("CREATE TABLE items (id int PRIMARY KEY)")
                try await client.transaction { connection in
                    connection.queue("INSERT INTO items VALUES (1)")
                    let savepoint = connection.lazySavepoint("event")
                    connection.queue("INSERT INTO items VALUES (2)")
                    let seen = try connection.query("SELECT count(*)::int FROM items")[0].decode(Int.self, at: 0)
                    #expect(seen == 2)
                    connection.queue("INSERT INTO items VALUES (3)")
                    connection.rollback(to: savepoint)
                    connection.queue("INSERT INTO items VALUES (4)")
                }
                let ids = try await client.query("SELECT id FROM items ORDER BY id").map { try $0.decode(Int.self, at: 0) }
                #expect(ids == [1, 4])
            }
        }
    }
}

extension IntegrationTests {
    @Suite("Binary arrays")
    struct BinaryArrayTests {
        @Test func byteaArraysRoundTripAnyBytes() async throws {
            try await withTestClient { client in
                let values: [[UInt8]] = [[], [0], [0, 255, 34, 92, 44, 123, 125], Array("中文 {\"x\"}".utf8), [UInt8](repeating: 7, count: 70_000)]
                let rows = try await client.query(
                    "SELECT v FROM unnest($1::bytea[]) WITH ORDINALITY AS t(v, n) ORDER BY n", [PostgresArray.bytea(values)])
                #expect(try rows.map { try $0.decode([UInt8].self, at: 0) } == values)
                let empty = try await client.query("SELECT cardinality($1::bytea[])", [PostgresArray.bytea([])])
                #expect(try empty.first?.decode(Int.self, at: 0) == 0)
            }
        }
    }
}
