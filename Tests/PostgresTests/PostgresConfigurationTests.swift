import Testing

@testable import Postgres

@Suite("PostgresConfiguration URL parsing")
struct PostgresConfigurationTests {
    @Test func parsesAllParts() throws {
        let configuration = try PostgresConfiguration(
            url: "postgres://kefu%20app:p%40ss%3Aw%2Frd@db.internal:6543/kefu%5Fmain?sslmode=require&application_name=kefu%20gateway")
        #expect(configuration.user == "kefu app")
        #expect(configuration.password == "p@ss:w/rd")
        #expect(configuration.host == "db.internal")
        #expect(configuration.port == 6543)
        #expect(configuration.database == "kefu_main")
        #expect(configuration.sslMode == .require)
        #expect(configuration.applicationName == "kefu gateway")
        #expect(configuration.poolSize == 4)
        #expect(configuration.connectTimeout == .seconds(5))
    }

    @Test func appliesDefaults() throws {
        let configuration = try PostgresConfiguration(url: "postgresql://kefu@localhost")
        #expect(configuration.port == 5432)
        #expect(configuration.database == "kefu")
        #expect(configuration.password == nil)
        #expect(configuration.sslMode == .prefer)
    }

    @Test func parsesIPv6AndOptions() throws {
        let configuration = try PostgresConfiguration(
            url: "postgres://u:pw@[::1]:5433/db?connect_timeout=3&pool_size=8")
        #expect(configuration.host == "::1")
        #expect(configuration.port == 5433)
        #expect(configuration.connectTimeout == .seconds(3))
        #expect(configuration.poolSize == 8)
    }

    @Test func descriptionHidesPassword() throws {
        let configuration = try PostgresConfiguration(url: "postgres://u:hunter2@h/db")
        #expect(!configuration.description.contains("hunter2"))
        #expect(configuration.description.contains("***"))
    }

    @Test func urlRoundTrips() throws {
        let original = try PostgresConfiguration(url: "postgres://a%2Fb:p%40%25s@h:1/d%20b?sslmode=disable&application_name=x%26y")
        let again = try PostgresConfiguration(url: original.url)
        #expect(again == original)
    }

    @Test(arguments: [
        ("", "empty"),
        ("localhost:5432/db", "missing scheme"),
        ("mysql://u:secretpw@h/db", "unsupported scheme 'mysql'"),
        ("postgres://u:secretpw@/db", "missing host"),
        ("postgres://h:5432/db", "missing user name"),
        ("postgres://:secretpw@h/db", "missing user name"),
        ("postgres://u:secretpw@h:99999/db", "port '99999'"),
        ("postgres://u:secretpw@h:abc/db", "port 'abc'"),
        ("postgres://u:secretpw@h/db?sslmode=maybe", "sslmode 'maybe'"),
        ("postgres://u:secretpw@h/db?foo=bar", "unsupported query parameter 'foo'"),
        ("postgres://u:secret%zzpw@h/db", "malformed percent-encoding in the password"),
        ("postgres://u:secret/pw@h/db", "must be percent-encoded"),
        ("postgres://u:secret#pw@h/db", "fragments"),
        ("postgres://u:secretpw@h1,h2/db", "multiple hosts"),
        ("postgres://u:secretpw@h/a/b", "single database name"),
        ("postgres://u:secretpw@h/db?connect_timeout=0", "connect_timeout '0'"),
    ])
    func rejectsMalformedURLs(url: String, expected: String) {
        do {
            _ = try PostgresConfiguration(url: url)
            Issue.record("expected \(url) to be rejected")
        } catch {
            guard case .invalidURL = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(error.description.contains(expected), "\(error.description)")
            #expect(!error.description.contains("secret"), "\(error.description)")
        }
    }

    @Test func libpqParametersPinSessionSettings() throws {
        let configuration = try PostgresConfiguration(url: "postgres://u@h/db?application_name=app")
        let parameters = Dictionary(uniqueKeysWithValues: configuration.libpqParameters)
        #expect(parameters["client_encoding"] == "UTF8")
        #expect(parameters["options"]?.contains("DateStyle=ISO") == true)
        #expect(parameters["options"]?.contains("TimeZone=UTC") == true)
        #expect(parameters["options"]?.contains("bytea_output=hex") == true)
        #expect(parameters["application_name"] == "app")
        #expect(parameters["password"] == nil)
    }
}
