#if canImport(Glibc)
import Glibc
#endif
import Foundation
import KnowledgeService
import ServiceRuntime

let settings: KnowledgeSettings
do {
    settings = try KnowledgeSettings.fromEnvironment()
} catch {
    FileHandle.standardError.write(Data("kefu-knowledge: \(error)\n".utf8))
    exit(2)
}
await ServiceHost.main(KnowledgeService.definition(settings: settings))
