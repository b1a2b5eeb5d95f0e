package ldm4j.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.internal.NDArrayEx;
import ai.djl.nn.Activation;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.List;
import ldm4j.autoencoder.latent.LatentEncoder;
import ldm4j.autoencoder.train.AutoencoderTrainer;
import ldm4j.diffusion.generate.Generator;
import ldm4j.diffusion.train.DiffusionTrainer;
import ldm4j.pipeline.eval.ClassifierTrainer;
import ldm4j.pipeline.eval.SampleEvaluator;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The project's structural rules, checked on the main classes of every module.
 *
 * <p>The module rules are the README's: {@code cli → pipeline → {autoencoder, diffusion} → core}.
 * The scalar rule is rule 2 of docs/djl-rules.md: DJL's {@code Number} overloads wrap the scalar in a
 * tensor over a Java buffer and free it when the op returns, but autograd saves it for backward
 * (e.g. {@code MulBackward0} keeps {@code other}); a GC in between corrupts the gradient. Use
 * {@code ldm4j.core.nn.Scalars} instead, everywhere: one rule, no judgement about which code
 * runs under autograd.
 */
class ArchitectureTest {
    /** The overloads whose backward reads the scalar, and their in-place forms. */
    private static final Set<String> SCALAR_SAVING_OPS =
            Set.of("mul", "muli", "div", "divi", "pow", "powi", "maximum", "minimum", "mod", "modi");

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("ldm4j");

    /** A call of {@code NDArray.mul(Number)} and the like, or of {@code NDArrays.mul(x, Number)}. */
    static final DescribedPredicate<JavaMethodCall> SCALAR_OVERLOAD = DescribedPredicate.describe(
            "a Number overload of NDArray " + SCALAR_SAVING_OPS,
            call -> {
                var target = call.getTarget();
                JavaClass owner = target.getOwner();
                boolean arrayOp = owner.isAssignableTo(NDArray.class) || owner.isEquivalentTo(NDArrays.class);
                return arrayOp
                        && SCALAR_SAVING_OPS.contains(target.getName())
                        && target.getRawParameterTypes().stream().anyMatch(t -> t.isEquivalentTo(Number.class));
            });

    /** DJL helpers that call a scalar overload inside: swish (β·x), cbrt (x^⅓), DJL's losses. */
    static final DescribedPredicate<JavaMethodCall> DJL_SCALAR_USER = DescribedPredicate.describe(
            "a DJL method that uses a Number overload inside (swish, cbrt, ai.djl.training.loss)",
            call -> {
                var target = call.getTarget();
                JavaClass owner = target.getOwner();
                String name = target.getName();
                return (name.equals("swish")
                                && (owner.isAssignableTo(NDArrayEx.class) || owner.isEquivalentTo(Activation.class)))
                        || (name.equals("cbrt") && owner.isAssignableTo(NDArray.class))
                        || owner.getPackageName().startsWith("ai.djl.training.loss");
            });

    static final ArchRule NO_SCALAR_OVERLOADS = noClasses()
            .should()
            .callMethodWhere(SCALAR_OVERLOAD)
            .orShould()
            .callMethodWhere(DJL_SCALAR_USER)
            .because("DJL frees the scalar before backward reads it (docs/djl-rules.md, rule 2); use ldm4j.core.nn.Scalars");

    @Test
    void noNumberOverloadsOfScalarSavingOps() {
        NO_SCALAR_OVERLOADS.check(MAIN);
    }

    @Test
    void scalarRuleCatchesEveryForbiddenForm() {
        JavaClasses bad = new ClassFileImporter().importClasses(ForbiddenScalarCalls.class);
        EvaluationResult result = NO_SCALAR_OVERLOADS.evaluate(bad);
        List<String> details = result.getFailureReport().getDetails();
        // mul, muli, div, divi, pow, powi, maximum, minimum, NDArrays.mul, swish, cbrt
        assertEquals(11, details.size(), String.join("\n", details));
        JavaClasses good = new ClassFileImporter().importClasses(AllowedScalarCalls.class);
        assertTrue(!NO_SCALAR_OVERLOADS.evaluate(good).hasViolation(),
                NO_SCALAR_OVERLOADS.evaluate(good).getFailureReport().toString());
    }

    @Test
    void theMainClassesAreImported() {
        // A wrong import option would make every rule pass vacuously.
        for (String module : List.of("core", "autoencoder", "diffusion", "pipeline", "cli")) {
            assertTrue(MAIN.stream().anyMatch(c -> c.getPackageName().startsWith("ldm4j." + module)),
                    "no main class of " + module + " imported");
        }
        assertTrue(MAIN.stream().noneMatch(c -> c.getSimpleName().endsWith("Test")), "test classes imported");
    }

    @Test
    void dependenciesPointOneWay() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("cli").definedBy("ldm4j.cli..")
                .layer("pipeline").definedBy("ldm4j.pipeline..")
                .layer("autoencoder").definedBy("ldm4j.autoencoder..")
                .layer("diffusion").definedBy("ldm4j.diffusion..")
                .layer("core").definedBy("ldm4j.core..")
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("pipeline").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("autoencoder").mayOnlyBeAccessedByLayers("pipeline", "cli")
                .whereLayer("diffusion").mayOnlyBeAccessedByLayers("pipeline", "cli")
                .check(MAIN);
    }

    @Test
    void coreImportsNoOtherModule() {
        noClasses().that().resideInAPackage("ldm4j.core..")
                .should().dependOnClassesThat()
                .resideInAnyPackage("ldm4j.autoencoder..", "ldm4j.diffusion..", "ldm4j.pipeline..", "ldm4j.cli..")
                .check(MAIN);
    }

    @Test
    void autoencoderAndDiffusionNeverImportEachOther() {
        noClasses().that().resideInAPackage("ldm4j.autoencoder..")
                .should().dependOnClassesThat().resideInAPackage("ldm4j.diffusion..")
                .check(MAIN);
        noClasses().that().resideInAPackage("ldm4j.diffusion..")
                .should().dependOnClassesThat().resideInAPackage("ldm4j.autoencoder..")
                .check(MAIN);
    }

    /** encode and reconstruct once built their manager with no device and so ignored --device. */
    @Test
    void commandsBuildTheirManagersOnTheDeviceTheyStarted() {
        noClasses().that().resideInAPackage("ldm4j.cli..")
                .should().callMethod(NDManager.class, "newBaseManager")
                .because("a command's arrays belong on the device that engine.start() returned for --device")
                .check(MAIN);
    }

    /** A trainer, a sampler, the latent encoder or the evaluation's scoring: what a stage class calls. */
    static final DescribedPredicate<JavaMethodCall> STAGE_WORK = DescribedPredicate.describe(
            "a trainer, a sampler, the latent encoder or the sample evaluator (stage work)",
            call -> {
                JavaClass owner = call.getTarget().getOwner();
                String name = owner.getSimpleName();
                return name.endsWith("Trainer")
                        || Set.of("LatentEncoder", "Generator", "SampleEvaluator", "FeatureNetworks",
                                "DiffusionData").contains(name)
                        || (owner.getPackageName().equals("ldm4j.diffusion.sampler")
                                && call.getTarget().getName().equals("sample"))
                        || (name.equals("PixelVaeSampler") && call.getTarget().getName().equals("sample"));
            });

    /**
     * The commands parse and wire: every stage's work goes through its class in
     * {@code ldm4j.pipeline.stage} (or a pipeline), which {@code run} and the experiments call too.
     */
    static final ArchRule COMMANDS_CALL_STAGE_CLASSES = noClasses().that().resideInAPackage("ldm4j.cli..")
            .should().callMethodWhere(STAGE_WORK)
            .because("run, the experiments and the single-stage commands share the stage classes");

    @Test
    void commandsReachStageWorkOnlyThroughTheStageClasses() {
        COMMANDS_CALL_STAGE_CLASSES.check(MAIN);
    }

    @Test
    void stageRuleCatchesTrainersSamplersEncoderAndScoring() {
        JavaClasses bad = new ClassFileImporter().importClasses(ForbiddenStageCalls.class);
        List<String> details = COMMANDS_CALL_STAGE_CLASSES.evaluate(bad).getFailureReport().getDetails();
        // AutoencoderTrainer.run, DiffusionTrainer.start, LatentEncoder.encodeTo, Generator.generate,
        // SampleEvaluator.evaluate, ClassifierTrainer.train
        assertEquals(6, details.size(), String.join("\n", details));
    }

    @Test
    void nothingImportsCli() {
        noClasses().that().resideOutsideOfPackage("ldm4j.cli..")
                .should().dependOnClassesThat().resideInAPackage("ldm4j.cli..")
                .check(MAIN);
    }

    /** Stage work a command must leave to the stage classes; compiled, never run. */
    @SuppressWarnings("unused")
    static final class ForbiddenStageCalls {
        static void calls() throws Exception {
            AutoencoderTrainer.run(null, null, null, null, null, null);
            DiffusionTrainer.start(null, null, null, null);
            LatentEncoder.encodeTo(null, null, null, null, null, 1, 0, null);
            Generator.generate(null, null, null, null, null, null, null);
            new SampleEvaluator(null, null).evaluate(null, null);
            ClassifierTrainer.train(null, null, null, null, null);
        }
    }

    /** Every form the scalar rule must catch; compiled, never run. */
    @SuppressWarnings("unused")
    static final class ForbiddenScalarCalls {
        static void calls(NDArray x) {
            x.mul(0.5f);
            x.muli(2);
            x.div(3.0);
            x.divi(4L);
            x.pow(2);
            x.powi(2);
            x.maximum(0f);
            x.minimum(1f);
            NDArrays.mul(x, 2f);
            Activation.swish(x, 1f);
            x.cbrt();
        }
    }

    /** Forms the scalar rule allows: add/sub keep no operand for backward; tensors are fine. */
    @SuppressWarnings("unused")
    static final class AllowedScalarCalls {
        static void calls(NDArray x, NDArray y) {
            x.add(1f);
            x.sub(1f);
            x.mul(y);
            x.div(y);
            x.maximum(y);
            x.clip(0, 1);
        }
    }
}
