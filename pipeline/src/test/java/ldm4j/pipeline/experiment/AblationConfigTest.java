package ldm4j.pipeline.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ldm4j.autoencoder.loss.ReconstructionLoss;
import ldm4j.autoencoder.train.AutoencoderTrainConfig;
import ldm4j.core.InputException;
import ldm4j.pipeline.report.Report;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ablation files: the shipped β ablation, sub-run names, and one-line errors naming the file and key. */
class AblationConfigTest {
    @TempDir
    Path dir;

    @Test
    void betaAblationMakesOneFixedSigmaL2RunPerBetaAndLdmsL1PointAsALabelledExtra() {
        AblationConfig a = AblationConfig.read(Path.of("../configs/beta-ablation.yaml"));
        assertEquals(List.of("beta=0", "beta=1e-6", "beta=1e-6_seed=1", "beta=1e-6_seed=2", "beta=1e-4", "beta=1e-2",
                "beta=1", "ldm-l1"), a.subRuns().stream().map(AblationConfig.SubRun::name).toList());
        assertEquals(Arrays.asList(0.0, 1e-6, 1e-6, 1e-6, 1e-4, 1e-2, 1.0, null),
                a.subRuns().stream().map(AblationConfig.SubRun::sweepValue).toList());
        assertEquals(List.of("beta=1e-6", "beta=1e-6", "beta=1e-6"), a.subRuns().subList(1, 4).stream()
                .map(AblationConfig.SubRun::point).toList(), "the demo's point, three seeds");
        assertEquals(1e-6, a.subRuns().get(7).shownAt(), "LDM's l1 point drawn at its β beside the l2 line");
        assertEquals(Path.of("../configs/vae-fashion.yaml").toAbsolutePath().normalize(), a.baseline());
        assertEquals(new Report.Sweep("β", Report.Sweep.Scale.LOG_WITH_ZERO), a.sweep());
        assertEquals(Path.of("../configs/fashion-quick.yaml").toAbsolutePath().normalize(), a.base());
        RunConfig demo = RunConfig.read(a.base());
        for (AblationConfig.SubRun s : a.subRuns()) {
            long seed = s.name().contains("_seed=") ? (long) s.overrides().get("seed") : demo.seed();
            assertEquals(seed, RunConfig.read(a.base(), s.overrides()).seed(), s.name());
            // The rest with the demo's seed, so a stage's config that holds the seed compares too.
            Map<String, Object> demoSeed = new HashMap<>(s.overrides());
            demoSeed.put("seed", demo.seed());
            RunConfig run = RunConfig.read(a.base(), demoSeed);
            AutoencoderTrainConfig ae = run.autoencoder().config();
            boolean extra = s.sweepValue() == null;
            assertEquals(extra ? ReconstructionLoss.L1 : ReconstructionLoss.L2, ae.loss(), s.name());
            assertEquals(extra ? 1e-6 : s.sweepValue(), ae.beta(), 0.0, s.name());
            assertEquals(AutoencoderTrainConfig.DEFAULT_SIGMA, ae.sigma(), 0.0, s.name());
            // Everything but the autoencoder's likelihood and β is the demo's.
            assertEquals(demo.seed(), run.seed(), s.name());
            assertEquals(demo.data(), run.data());
            assertEquals(demo.diffusion(), run.diffusion(), s.name());
            assertEquals(demo.sample(), run.sample(), s.name());
            assertEquals(demo.eval(), run.eval(), s.name());
            assertEquals(demo.autoencoder().config().steps(), ae.steps(), s.name());
            assertEquals(demo.autoencoder().config().model(), ae.model(), s.name());
        }
    }

    @Test
    void valuesAreSpelledShortAndSeveralSeedsEachGetASubRun() throws IOException {
        assertEquals("0", AblationConfig.format(0));
        assertEquals("1", AblationConfig.format(1));
        assertEquals("0.5", AblationConfig.format(0.5));
        assertEquals("8", AblationConfig.format(8));
        assertEquals("1e-2", AblationConfig.format(0.01));
        assertEquals("2.5e-3", AblationConfig.format(2.5e-3));
        assertEquals("-1e-6", AblationConfig.format(-1e-6));
        assertEquals("1e6", AblationConfig.format(1e6));

        Path file = ablation("""
                title: t
                base: base.yaml
                sweep: {key: autoencoder.beta, values: [1e-4, {value: 1, seeds: [5]}]}
                seeds: [1, 2]
                extra: [{label: other, overrides: {autoencoder: {loss: l1}}}]
                """);
        AblationConfig a = AblationConfig.read(file);
        assertEquals(List.of("beta=1e-4_seed=1", "beta=1e-4_seed=2", "beta=1_seed=5", "other_seed=1", "other_seed=2"),
                a.subRuns().stream().map(AblationConfig.SubRun::name).toList());
        AblationConfig.SubRun second = a.subRuns().get(1);
        assertEquals(2L, second.overrides().get("seed"));
        assertEquals(1e-4, second.overrides().get("autoencoder.beta"));
        assertEquals("base-beta_1e-4_seed_2", second.overrides().get("name"));
        assertEquals(5L, a.subRuns().get(2).overrides().get("seed"));
        assertEquals("l1", a.subRuns().get(3).overrides().get("autoencoder.loss"), "nested overrides are dotted keys");
        assertEquals(Report.Sweep.Scale.LINEAR, a.sweep().scale());
        assertEquals("beta", a.sweep().parameter());
        assertEquals("l1", a.runConfigTree(a.subRuns().get(3)).path("autoencoder").path("loss").asText());
        assertEquals(2, a.runConfigTree(second).path("seed").asLong());
    }

    @Test
    void theBasesSeedKeepsThePlainNameSoSeedsAddedLaterFindTheRunAlreadyMade() throws IOException {
        AblationConfig one = AblationConfig.read(ablation("""
                base: base.yaml
                sweep: {key: autoencoder.beta, values: [0]}
                extra: [{label: x, overrides: {autoencoder.beta: 1.0e-6}}]
                """));
        AblationConfig three = AblationConfig.read(ablation("""
                base: base.yaml
                sweep: {key: autoencoder.beta, values: [0]}
                extra: [{label: x, overrides: {autoencoder.beta: 1.0e-6}, seeds: [1, 3, 2]}]
                """));
        assertEquals(List.of("beta=0", "x"), one.subRuns().stream().map(AblationConfig.SubRun::name).toList());
        assertEquals(List.of("beta=0", "x_seed=1", "x", "x_seed=2"),
                three.subRuns().stream().map(AblationConfig.SubRun::name).toList(), "3 is the base's seed");
        assertEquals(List.of("beta=0", "x", "x", "x"), three.subRuns().stream().map(AblationConfig.SubRun::point)
                .toList());
        // The plain-named run is the same run before and after: same name, same config.
        assertEquals(one.subRuns().get(1), three.subRuns().get(2));
        assertEquals(one.runConfigTree(one.subRuns().get(1)), three.runConfigTree(three.subRuns().get(2)));
        assertEquals(1e-6, three.subRuns().get(1).shownAt(), "an extra that sets the swept key is drawn there");
        assertNull(one.baseline(), "no shared baseline unless the file names one");
    }

    @Test
    void aSharedBaselineIsAnAutoencoderConfigBesideTheFileCheckedWhenRead() throws IOException {
        Files.writeString(dir.resolve("vae.yaml"), "model: {latent: dense, latent_dim: 8}\nbeta: 1.0\nsteps: 2\n");
        AblationConfig a = AblationConfig.read(ablation("""
                base: base.yaml
                sweep: {key: autoencoder.beta, values: [0]}
                baseline: vae.yaml
                """));
        assertEquals(dir.resolve("vae.yaml").toAbsolutePath().normalize(), a.baseline().toAbsolutePath());
        Files.writeString(dir.resolve("bad-vae.yaml"), "betta: 1.0\n");
        assertFault("base: base.yaml\nsweep: {key: autoencoder.beta, values: [0]}\nbaseline: bad-vae.yaml\n",
                "betta");
        assertFault("base: base.yaml\nsweep: {key: autoencoder.beta, values: [0]}\nbaseline: none.yaml\n",
                "baseline");
        assertFault("base: base.yaml\nsweep: {key: autoencoder.beta, values: [0]}\nbaseline: vae.yaml\n"
                + "extra: [{label: baseline, overrides: {autoencoder.beta: 1}}]\n", "baseline");
    }

    @Test
    void badFilesFailWithOneLineNamingTheFileAndTheKey() throws IOException {
        String good = "title: t\nbase: base.yaml\n";
        assertFault(good + "sweep: {key: autoencoder.beta, values: [0]}\nvaluez: [1]\n", "valuez");
        assertFault(good + "sweep: {key: autoencoder.beta, values: []}\n", "sweep.values");
        assertFault(good + "sweep: {key: autoencoder.beta}\n", "sweep.values");
        assertFault("title: t\nbase: nowhere.yaml\nsweep: {key: autoencoder.beta, values: [0]}\n", "base");
        assertFault(good + "sweep: {key: autoencoder.betta, values: [0]}\n", "betta");
        assertFault(good + "sweep: {key: autoencoder.beta, values: [0]}\noverrides: {autoencoder.beta: 1}\n",
                "overrides.autoencoder.beta");
        assertFault(good + "sweep: {key: autoencoder.beta, values: [0]}\noverrides: {data: mnist}\n",
                "overrides.data");
        assertFault(good + "sweep: {key: autoencoder.beta, values: [0, 0.0]}\n", "beta=0");
        assertFault(good + "sweep: {key: autoencoder.beta, values: [0]}\nextra: [{label: a/b}]\n", "extra[0].label");
        assertFault(good + "sweep: {key: autoencoder.beta, scale: logarithmic, values: [0]}\n", "scale");
    }

    private void assertFault(String yaml, String key) throws IOException {
        Path file = ablation(yaml);
        InputException e = assertThrows(InputException.class, () -> AblationConfig.read(file), yaml);
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(key), key + " not named in: " + e.getMessage());
        assertTrue(e.getMessage().lines().count() == 1, e.getMessage());
    }

    private Path ablation(String yaml) throws IOException {
        Files.writeString(dir.resolve("base.yaml"), """
                name: base
                data: mnist
                seed: 3
                autoencoder: {steps: 2}
                diffusion: {steps: 2}
                """);
        Path file = Files.createTempFile(dir, "ablation", ".yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void anExtraPointIsOffTheAxisAndTheDefaultsAreTheBasesSeedAndTheFilesName() throws IOException {
        Path file = ablation("""
                base: base.yaml
                sweep: {key: autoencoder.beta, values: [0]}
                extra: [{label: x, overrides: {autoencoder.beta: 1}}]
                """);
        AblationConfig a = AblationConfig.read(file);
        assertNull(a.subRuns().get(1).sweepValue());
        assertEquals("ldm4j ablate " + file.getFileName().toString().replace(".yaml", ""), a.title());
        assertEquals(3L, a.subRuns().get(0).overrides().get("seed"), "the base's seed by default");
    }
}
