#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/init.h>
#include <linux/module.h>
#include <linux/slab.h>
MODULE_LICENSE("GPL");

static int leave;
module_param(leave, int, 0444);

struct thing {
	int id;
	char name[20];
};

static struct kmem_cache *cache;
static void thing_ctor(void *p) { ((struct thing *)p)->id = 7; }

static int __init kc_init(void)
{
	struct thing *a, *b, *c;

	cache = kmem_cache_create("thing_cache", sizeof(struct thing), 0, SLAB_HWCACHE_ALIGN, thing_ctor);
	if (!cache)
		return -ENOMEM;
	pr_info("object size %u\n", kmem_cache_size(cache));
	a = kmem_cache_alloc(cache, GFP_KERNEL);
	b = kmem_cache_zalloc(cache, GFP_KERNEL);
	if (!a || !b)
		return -ENOMEM;
	pr_info("a id %d\n", a->id);
	pr_info("b zeroed: %d, distinct: %d\n", b->id == 0 && b->name[0] == 0, a != b);
	kmem_cache_free(cache, a);
	c = kmem_cache_alloc(cache, GFP_KERNEL);
	pr_info("reused the freed object: %d\n", c == a);
	kmem_cache_free(cache, c);
	if (!leave)
		kmem_cache_free(cache, b);
	kmem_cache_destroy(cache);
	pr_info("destroyed\n");
	return 0;
}

static void __exit kc_exit(void)
{
}
module_init(kc_init);
module_exit(kc_exit);
