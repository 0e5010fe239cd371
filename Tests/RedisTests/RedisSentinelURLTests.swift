import Redis
import Testing

@Suite("redis+sentinel:// URL parsing")
struct RedisSentinelURLTests {
    @Test func parsesEveryPart() throws {
        let configuration = try RedisConfiguration(url:
            "redis+sentinel://alice:p%40ss@10.0.0.1:26380,sentinel-b,[::1]:26381/my%2Dmaster/2?sentinel_username=watch&sentinel_password=s%3Acret")
        let sentinel = try #require(configuration.sentinel)
        #expect(sentinel.sentinels == [
            RedisEndpoint(host: "10.0.0.1", port: 26380),
            RedisEndpoint(host: "sentinel-b", port: 26379),
            RedisEndpoint(host: "::1", port: 26381),
        ])
        #expect(sentinel.masterName == "my-master")
        #expect(sentinel.username == "watch")
        #expect(sentinel.password == "s:cret")
        #expect(configuration.username == "alice")
        #expect(configuration.password == "p@ss")
        #expect(configuration.database == 2)
    }

    @Test func minimalFormDefaultsPortDatabaseAndCredentials() throws {
        let configuration = try RedisConfiguration(url: "redis+sentinel://s1/cache")
        let sentinel = try #require(configuration.sentinel)
        #expect(sentinel.sentinels == [RedisEndpoint(host: "s1", port: 26379)])
        #expect(sentinel.masterName == "cache")
        #expect(sentinel.password == nil && sentinel.username == nil)
        #expect(configuration.password == nil && configuration.database == 0)
    }

    @Test func plainURLHasNoSentinel() throws {
        #expect(try RedisConfiguration(url: "redis://h:1/0").sentinel == nil)
    }

    @Test func descriptionMasksBothPasswords() throws {
        let configuration = try RedisConfiguration(url:
            "redis+sentinel://:topsecret@a:1,b:2/m/3?sentinel_password=alsosecret")
        #expect(configuration.description == "redis+sentinel://:***@a:1,b:2/m/3?sentinel_password=***")
    }

    @Test(arguments: [
        ("redis+sentinel://s1:26379", "master name"),
        ("redis+sentinel://s1:26379/", "master name"),
        ("redis+sentinel://s1,,s2/m", "empty sentinel"),
        ("redis+sentinel://s1:99999/m", "port"),
        ("redis+sentinel://:26379/m", "missing host"),
        ("redis+sentinel://s1/m/x", "database"),
        ("redis+sentinel://s1/m/1/2", "path segments"),
        ("redis+sentinel://s1/m?db=1", "unknown query parameter 'db'"),
        ("redis+sentinel://s1/m?sentinel_password", "needs a value"),
        ("redis+sentinel://s1/m?sentinel_password=bad%zzsecret", "sentinel password"),
        ("redis+sentinel://secretonly@s1/m", "credentials"),
        ("rediss+sentinel://s1/m", "TLS"),
        ("redis://h:1?sentinel_password=secret", "query"),
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
