import Testing
@testable import ServiceRuntime

@Suite struct ServiceConfigurationTests {
    let base = [
        "REDIS_URL": "redis://:pw@127.0.0.1:6390/2",
        "DATABASE_URL": "postgres://kefu:topsecret@127.0.0.1:5433/kefu",
    ]

    func configuration(_ extra: [String: String] = [:]) throws(ConfigError) -> ServiceConfiguration {
        try ServiceConfiguration(
            service: "routing", defaultPort: 8081,
            reader: ConfigReader(environment: base.merging(extra) { _, new in new }))
    }

    @Test func defaultsAreDocumentedValues() throws {
        let config = try configuration()
        #expect(config.httpPort == 8081)
        #expect(config.httpHost == "127.0.0.1")
        #expect(config.logLevel == .info)
        #expect(config.logFormat == .text)
        #expect(config.streamPrefix == "kefu")
        #expect(config.shutdownTimeout == .seconds(10))
        #expect(config.streams.batchSize == 100)
        #expect(config.streams.maxDeliveries == 5)
        #expect(config.instance.hasSuffix("-0"))
    }

    @Test func overridesAreRead() throws {
        let config = try configuration([
            "HTTP_PORT": "9000", "LOG_LEVEL": "DEBUG", "LOG_FORMAT": "json", "KEFU_STREAM_PREFIX": "acme",
            "KEFU_INSTANCE": "routing-a-1", "KEFU_STREAM_BATCH_SIZE": "16",
        ])
        #expect(config.httpPort == 9000)
        #expect(config.logLevel == .debug)
        #expect(config.logFormat == .json)
        #expect(config.streamPrefix == "acme")
        #expect(config.instance == "routing-a-1")
        #expect(config.streams.batchSize == 16)
        #expect(config.streamNames.inbound == "acme:inbound")
        #expect(try configuration(["KEFU_STREAM_PREFIX": "{kefu}"]).streamNames.events == "{kefu}:events")
    }

    @Test(arguments: [
        ("HTTP_PORT", "0"), ("HTTP_PORT", "x"), ("LOG_LEVEL", "loud"), ("LOG_FORMAT", "xml"),
        ("KEFU_STREAM_PREFIX", "Has Space"), ("KEFU_INSTANCE", "../etc"), ("KEFU_STREAM_MAX_DELIVERIES", "0"),
        ("REDIS_URL", "http://x"), ("DATABASE_URL", "mysql://x"),
    ])
    func badValuesNameTheVariable(_ variable: String, _ value: String) {
        #expect {
            _ = try configuration([variable: value])
        } throws: { error in
            guard let error = error as? ConfigError, case .invalid(let named, _, _) = error else { return false }
            return named == variable && "\(error)".contains(variable)
        }
    }

    @Test func missingURLsAreNamed() {
        let reader = ConfigReader(environment: ["DATABASE_URL": base["DATABASE_URL"]!])
        #expect(throws: ConfigError.missing(variable: "REDIS_URL")) {
            _ = try ServiceConfiguration(service: "store", defaultPort: 8082, reader: reader)
        }
    }

    @Test func passwordsAreNeverEchoed() {
        let badDatabase = "postgres://kefu:topsecret@127.0.0.1:notaport/kefu"
        do {
            _ = try configuration(["DATABASE_URL": badDatabase])
            Issue.record("accepted a bad port")
        } catch {
            #expect(!"\(error)".contains("topsecret"))
            #expect("\(error)".contains("DATABASE_URL"))
        }
        #expect(ServiceConfiguration.redacted("redis://:pw@h:1/0") == "redis://:***@h:1/0")
        #expect(ServiceConfiguration.redacted("postgres://u:p@h/db") == "postgres://u:***@h/db")
        #expect(ServiceConfiguration.redacted("postgres://h/db") == "postgres://h/db")
        #expect(ServiceConfiguration.redacted("redis+sentinel://:pw@a:1,b:2/m/0?sentinel_password=s%40p&sentinel_username=u")
            == "redis+sentinel://:***@a:1,b:2/m/0?sentinel_password=***&sentinel_username=u")
    }

    @Test func backoffGrowsToItsCapAndResets() {
        var backoff = Backoff(initial: .milliseconds(100), maximum: .milliseconds(400))
        let delays = (0..<5).map { _ in backoff.next() }
        #expect(delays[0] >= .milliseconds(100) && delays[0] < .milliseconds(120))
        #expect(delays[2] >= .milliseconds(400))
        #expect(delays[4] < .milliseconds(480))
        backoff.reset()
        #expect(backoff.next() < .milliseconds(120))
    }
}
