import Redis
import Testing

@Suite("RedisConfiguration URL parsing")
struct RedisConfigurationTests {
    @Test func parsesFullURL() throws {
        let configuration = try RedisConfiguration(url: "redis://alice:s%40cret%3Ax@cache.local:6380/3")
        #expect(configuration.host == "cache.local")
        #expect(configuration.port == 6380)
        #expect(configuration.username == "alice")
        #expect(configuration.password == "s@cret:x")
        #expect(configuration.database == 3)
    }

    @Test func defaultsPortAndDatabase() throws {
        let configuration = try RedisConfiguration(url: "redis://localhost")
        #expect(configuration.port == 6379)
        #expect(configuration.database == 0)
        #expect(configuration.password == nil)
        #expect(configuration.username == nil)
    }

    @Test func passwordOnlyAndIPv6() throws {
        let configuration = try RedisConfiguration(url: "redis://:pw@[::1]:7000/")
        #expect(configuration.host == "::1")
        #expect(configuration.port == 7000)
        #expect(configuration.username == nil)
        #expect(configuration.password == "pw")
    }

    @Test func descriptionMasksPassword() throws {
        let configuration = try RedisConfiguration(url: "redis://u:topsecret@h:1/2")
        #expect(!configuration.description.contains("topsecret"))
        #expect(configuration.description == "redis://u:***@h:1/2")
    }

    @Test(arguments: [
        ("http://h:1", "scheme"),
        ("rediss://h:1", "TLS"),
        ("h:6379", "scheme"),
        ("redis://:6379", "missing host"),
        ("redis://h:notaport", "port"),
        ("redis://h:70000", "port"),
        ("redis://h:1/abc", "database"),
        ("redis://h:1/-1", "database"),
        ("redis://h:1?db=2", "query"),
        ("redis://secretonly@h:1", "credentials"),
        ("redis://:bad%zzsecret@h:1", "password"),
    ])
    func rejectsBadURLs(url: String, expected: String) {
        do {
            _ = try RedisConfiguration(url: url)
            Issue.record("expected \(url) to be rejected")
        } catch {
            let message = error.description
            #expect(message.contains(expected), "\(message)")
            #expect(!message.contains("secret"), "password leaked: \(message)")
        }
    }
}
