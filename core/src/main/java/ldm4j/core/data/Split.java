package ldm4j.core.data;

/** Which part of a dataset to use. */
public enum Split {
    /** The training images (6/7 of each class, or CIFAR-10's five training batches). */
    TRAIN,
    /** The held-out test images. */
    TEST,
    /** Every image. */
    ALL
}
