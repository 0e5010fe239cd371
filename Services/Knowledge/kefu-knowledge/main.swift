import KnowledgeService
import ServiceRuntime

await ServiceHost.main(KnowledgeService.definition())
