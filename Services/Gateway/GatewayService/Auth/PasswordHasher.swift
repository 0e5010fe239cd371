import HummingbirdBcrypt
import NIOPosix

/// bcrypt hashing off the cooperative thread pool (a hash takes tens to hundreds of milliseconds).
struct PasswordHasher: Sendable {
    /// The cost of new hashes.
    let cost: Int
    /// A hash (at the same cost) of a random password nobody has, verified when the username is unknown so
    /// that a failed login takes as long whether or not the account exists.
    let decoyHash: String

    init(cost: Int) {
        self.cost = cost
        decoyHash = Bcrypt.hash(Crypto.base64URL(Crypto.randomBytes(24)), cost: UInt8(cost))
    }

    /// The bcrypt hash of `password`.
    func hash(_ password: String) async throws -> String {
        let cost = UInt8(cost)
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    /// Whether `password` matches `hash`.
    func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    /// The rules for a new password: 8-128 characters.
    static func validate(_ password: String) throws {
        guard (8...128).contains(password.count) else {
            throw APIError.badRequest("invalid_password", "a password must be 8-128 characters")
        }
    }
}
