/* café ÿ */
#define FF_COUNT 1
