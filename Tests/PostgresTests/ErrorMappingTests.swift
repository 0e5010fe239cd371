import Postgres
import TestSupport
import Testing

extension IntegrationTests {
    @Suite("SQLSTATE mapping")
    struct ErrorMappingTests {
        @Test func uniqueViolationNamesConstraintNotValues() async throws {
            try await withTestClient { client in
                try await client.execute("CREATE TABLE users (id serial PRIMARY KEY, email text UNIQUE NOT NULL)")
                try await client.execute("INSERT INTO users (email) VALUES ($1)", ["alice.secret@example.com"])
                let error = await caught {
                    try await client.execute("INSERT INTO users (email) VALUES ($1)", ["alice.secret@example.com"])
                }
                #expect(error as? PostgresError == .uniqueViolation(constraint: "users_email_key"))
                #expect(!"\(error!)".contains("alice"))
            }
        }

        @Test func syntaxErrorIsQueryWith42601() async throws {
            try await withTestClient { client in
                let error = await caught { try await client.query("SELEC $1::int", [42]) }
                guard case .query(let sqlState, let message) = error as? PostgresError else {
                    Issue.record("unexpected \(String(describing: error))")
                    return
                }
                #expect(sqlState == "42601")
                #expect(message.contains("syntax error"))
            }
        }

        @Test func errorTextCarriesNoParameterValues() async throws {
            try await withTestClient { client in
                let error = await caught { try await client.query("SELECT $1::int", ["hunter2-not-a-number"]) }
                #expect(error as? PostgresError == .query(sqlState: "22P02", message: "invalid input syntax for type integer"))
                #expect(!"\(error!)".contains("hunter2"))
                let check = await caught {
                    try await client.query("SELECT to_timestamp($1, 'YYYY')::text", ["private-9999-value"])
                }
                #expect(check != nil)
                #expect(!"\(check!)".contains("private"))
            }
        }

        @Test func notNullAndForeignKeyAreQueryErrors() async throws {
            try await withTestClient { client in
                try await client.execute("CREATE TABLE parent (id int PRIMARY KEY)")
                try await client.execute("CREATE TABLE child (id int PRIMARY KEY, parent_id int NOT NULL REFERENCES parent)")
                let notNull = await caught { try await client.execute("INSERT INTO child VALUES (1, $1)", [Int?.none]) }
                #expect((notNull as? PostgresError).map { if case .query("23502", _) = $0 { true } else { false } } == true)
                let foreignKey = await caught { try await client.execute("INSERT INTO child VALUES (1, $1)", [99]) }
                #expect((foreignKey as? PostgresError).map { if case .query("23503", _) = $0 { true } else { false } } == true)
            }
        }

        @Test func raisedSQLStatesMapToTypedErrors() async throws {
            try await withTestClient { client in
                let serialization = await caught {
                    try await client.execute("DO $$ BEGIN RAISE SQLSTATE '40001'; END $$")
                }
                #expect(serialization as? PostgresError == .serializationFailure)
                let deadlock = await caught { try await client.execute("DO $$ BEGIN RAISE SQLSTATE '40P01'; END $$") }
                #expect(deadlock as? PostgresError == .deadlock)
            }
        }

        @Test func connectionFailureIsTyped() async throws {
            var configuration = try PostgresConfiguration(url: "postgres://nobody:pw-secret@127.0.0.1:1/none?sslmode=disable")
            configuration.connectAttempts = 2
            try await withClient(configuration) { client in
                let (error, seconds) = await measure { await caught { try await client.query("SELECT 1") } }
                guard case .connectionFailed(let reason) = error as? PostgresError else {
                    Issue.record("unexpected \(String(describing: error))")
                    return
                }
                #expect(!reason.contains("pw-secret"))
                #expect(seconds < 5)
                #expect(await client.isReachable() == false)
            }
        }

        @Test func wrongPasswordIsConnectionFailed() async throws {
            let server = try await PostgresTestServer.shared()
            var configuration = try PostgresConfiguration(url: server.url)
            configuration.user = "no_such_role"
            configuration.password = "pw-secret"
            configuration.connectAttempts = 1
            try await withClient(configuration) { client in
                let error = await caught { try await client.query("SELECT 1") }
                guard case .connectionFailed(let reason) = error as? PostgresError else {
                    Issue.record("unexpected \(String(describing: error))")
                    return
                }
                #expect(reason.contains("no_such_role"))
                #expect(!reason.contains("pw-secret"))
            }
        }
    }
}
