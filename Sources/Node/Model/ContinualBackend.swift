import Foundation
import Learner

/// The node's spiking learner: runs the Learner's continual phases (`ContinualSession`, the
/// same code `r4ncl learn --from-model` runs) on a copy of the served model, so the node's
/// learned model is the offline one, bit for bit, given the same inputs. The model carries the
/// session's memory (settings, threshold targets, replay store); the learner keeps no state.
public struct ContinualBackend: IncrementalLearner {
  public init() {}

  public func learn(_ job: LearningJob, from model: any ClassifierModel, progress: (LearningUpdate) -> Bool) throws
    -> any ClassifierModel
  {
    guard let model = model as? SpikingClassifier else {
      throw NodeError.incompatibleModel("the continual learner needs a spiking model")
    }
    guard var session = model.session else {
      throw NodeError.incompatibleModel("the model has no continual-learning memory (load it from a model file with replay data, or from a node checkpoint)")
    }
    let rows = model.network.config.classCount
    // The classes of the job's samples and latents, ascending: new ones and known ones given
    // more samples. Latents (a swarm peer's shard) are learned at the memory's injection depth.
    let classes = Array(Set(job.samples.compactMap(\.label) + job.latents.compactMap(\.label))).sorted()
    if !job.latents.isEmpty {
      guard let store = session.store else {
        throw NodeError.incompatibleModel("method '\(session.settings.method)' has no replay memory and cannot learn from latents")
      }
      let width = model.network.latentWidth(depth: store.depth)
      for latent in job.latents where latent.depth != store.depth || latent.timesteps != store.timesteps || latent.width != width {
        throw NodeError.incompatibleModel(
          "latent of class \(latent.label ?? -1) is d=\(latent.depth) \(latent.timesteps)x\(latent.width), the replay memory is d=\(store.depth) \(store.timesteps)x\(width)")
      }
    }
    for id in classes + job.newClasses.ids where id >= rows {
      throw NodeError.incompatibleModel("class \(id) needs readout row \(id), the network has \(rows)")
    }
    let epochs = session.settings.learnEpochs
    guard progress(LearningUpdate(phase: "prepare", epoch: 0, epochs: epochs, fraction: 0)) else { throw LearningCancelled() }
    let samples = SpikeDataset(samples: job.samples, channelCount: model.channelCount, classNames: [])
    try withoutActuallyEscaping(progress) { report in
      _ = try session.learn(classes, from: samples, latents: job.latents) { epoch in
        let update = LearningUpdate(
          phase: "learn", epoch: epoch.epoch, epochs: epochs, fraction: Float(epoch.epoch) / Float(epochs), loss: Float(epoch.meanLoss))
        if !report(update) { throw LearningCancelled() }
      }
    }
    return SpikingClassifier(
      network: session.network, classes: model.classes.merging(job.newClasses), version: model.version + 1,
      frozenDepth: model.frozenDepth, memory: ContinualMemory(session))
  }
}
