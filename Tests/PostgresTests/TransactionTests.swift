import Foundation
import Postgres
import Testing

extension IntegrationTests {
    @Suite("Transactions")
    struct TransactionTests {
        @Test func commitsOnSuccess() async throws {
            try await withTestClient { client in
                try await client.execute("CREATE TABLE ledger (id int PRIMARY KEY, amount int NOT NULL)")
                let total = try await client.transaction(isolation: .repeatableRead) { connection in
                    try connection.execute("INSERT INTO ledger VALUES (1, 10), (2, 32)")
                    return try connection.query("SELECT sum(amount)::int FROM ledger")[0].decode(Int.self, at: 0)
                }
                #expect(total == 42)
                #expect(try await client.query("SELECT count(*)::int FROM ledger")[0].decode(Int.self, at: 0) == 2)
            }
        }

        @Test func rollsBackWhenTheBodyThrows() async throws {
            try await withTestClient(poolSize: 1) { client in
                try await client.execute("CREATE TABLE ledger (id int PRIMARY KEY)")
                let error = await caught {
                    try await client.transaction { connection in
                        try connection.execute("INSERT INTO ledger VALUES (1)")
                        throw TestError.boom
                    }
                }
                #expect(error as? TestError == .boom)
                #expect(try await client.query("SELECT count(*)::int FROM ledger")[0].decode(Int.self, at: 0) == 0)
                let open = try await client.withConnection { $0.isInTransaction }
                #expect(open == false)
            }
        }

        @Test func retriesSerializationFailuresThenSucceeds() async throws {
            try await withTestClient { client in
                try await client.execute("CREATE TABLE ledger (id serial PRIMARY KEY, note text)")
                let attempts = Counter()
                let result = try await client.transaction(isolation: .serializable) { connection in
                    let attempt = attempts.increment()
                    try connection.execute("INSERT INTO ledger (note) VALUES ($1)", ["attempt \(attempt)"])
                    if attempt < 3 {
                        try connection.simpleQuery("DO $$ BEGIN RAISE SQLSTATE '40001'; END $$")
                    }
                    return attempt
                }
                #expect(result == 3)
                let notes = try await client.query("SELECT note FROM ledger").map { try $0.decode(String.self, at: 0) }
                #expect(notes == ["attempt 3"])
            }
        }

        @Test func retriesDeadlocksAndGivesUpAfterMaxAttempts() async throws {
            try await withTestClient { client in
                let attempts = Counter()
                let error = await caught {
                    try await client.transaction(maxAttempts: 3) { connection in
                        attempts.increment()
                        try connection.simpleQuery("DO $$ BEGIN RAISE SQLSTATE '40P01'; END $$")
                    }
                }
                #expect(error as? PostgresError == .deadlock)
                #expect(attempts.current == 3)
            }
        }

        @Test func realWriteSkewIsRetried() async throws {
            try await withTestClient { client in
                try await client.execute("CREATE TABLE doctors (name text PRIMARY KEY, on_call bool NOT NULL)")
                try await client.execute("INSERT INTO doctors VALUES ('alice', true), ('bob', true)")
                let arrived = Counter()
                let attempts = Counter()
                @Sendable func goOffCall(_ name: String) -> @Sendable (PostgresConnection) throws -> Void {
                    { connection in
                        let attempt = attempts.increment()
                        let onCall = try connection.query("SELECT count(*)::int FROM doctors WHERE on_call")[0].decode(Int.self, at: 0)
                        if attempt <= 2 {
                            arrived.increment()
                            let deadline = DispatchTime.now() + 5
                            while arrived.current < 2, DispatchTime.now() < deadline {
                                usleep(5_000)
                            }
                        }
                        if onCall >= 2 {
                            try connection.execute("UPDATE doctors SET on_call = false WHERE name = $1", [name])
                        }
                    }
                }
                let aliceBody = goOffCall("alice")
                let bobBody = goOffCall("bob")
                async let alice: Void = client.transaction(isolation: .serializable, aliceBody)
                async let bob: Void = client.transaction(isolation: .serializable, bobBody)
                _ = try await (alice, bob)
                let onCall = try await client.query("SELECT count(*)::int FROM doctors WHERE on_call")[0].decode(Int.self, at: 0)
                #expect(onCall == 1)
                #expect(attempts.current == 3)
            }
        }

        @Test func commitOfAnAbortedTransactionFails() async throws {
            try await withTestClient { client in
                try await client.execute("CREATE TABLE ledger (id int PRIMARY KEY)")
                let error = await caught {
                    try await client.transaction { connection in
                        try connection.execute("INSERT INTO ledger VALUES (1)")
                        _ = try? connection.execute("INSERT INTO ledger VALUES (1)")
                    }
                }
                #expect((error as? PostgresError).map { if case .query("25P02", _) = $0 { true } else { false } } == true)
                #expect(try await client.query("SELECT count(*)::int FROM ledger")[0].decode(Int.self, at: 0) == 0)
            }
        }

        @Test func openTransactionLeftByWithConnectionIsRolledBack() async throws {
            try await withTestClient(poolSize: 1) { client in
                try await client.execute("CREATE TABLE ledger (id int PRIMARY KEY)")
                try await client.withConnection { connection in
                    try connection.simpleQuery("BEGIN; INSERT INTO ledger VALUES (1);")
                }
                #expect(try await client.query("SELECT count(*)::int FROM ledger")[0].decode(Int.self, at: 0) == 0)
            }
        }
    }
}
